from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import organisations, review
from maturity.views.auth import require_sign_in

bp = Blueprint("home", __name__)
bp.before_request(require_sign_in)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template(
        "home.html",
        organisations=organisations.visible_to(user=current_user),
        waiting=review.waiting_for_approval(user=current_user),
    )
