from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import duties, organisations, review
from maturity.views.auth import require_sign_in

bp = Blueprint("home", __name__)
bp.before_request(require_sign_in)


@bp.get("/")
def index() -> ResponseReturnValue:
    waiting = review.waiting_for_approval(user=current_user)
    return render_template(
        "home.html",
        organisations=organisations.visible_to(user=current_user),
        waiting=waiting,
        # Separation of duties: those this person edited or submitted need another approver.
        involved=duties.involved_in(assessments=waiting, person=current_user),
    )
