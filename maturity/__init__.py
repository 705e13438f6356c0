"""maturity: score performance measurement on the NAO matrix, year after year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    from maturity.requests import Request

    app.request_class = Request  # text without NUL characters (maturity/requests.py)
    from maturity.config import from_environment

    app.config.update(from_environment(Path(app.instance_path)))
    app.config.update(config or {})
    if hops := app.config["TRUSTED_PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the configured hops are believed: the client's own address, scheme and
        # host then reach sign-in limits, the audit trail and HSTS.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from maturity import logging_setup

    logging_setup.init_app(app)  # first, so its request hooks time every other hook too
    from maturity.security import hosts

    # Refuses to start without SERVICE_URL where links need it; then, before any other
    # request hook, refuses requests naming a host other than the service's.
    hosts.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)

    from maturity.cli import register as register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_security import SQLAlchemyUserDatastore

    from maturity import models
    from maturity.extensions import csrf, db, migrate, security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    datastore = SQLAlchemyUserDatastore(db, models.User, models.Role)
    from maturity.security import passwords, two_factor

    # Before Security.init_app, which builds its password and TOTP helpers from these.
    passwords.init_app(app, security)
    two_factor.init_app(app, security)
    security.init_app(app, datastore)

    from maturity.security import headers, session_records, sessions, sign_in

    headers.init_app(app)
    sessions.init_app(app)
    session_records.init_app(app)  # after sessions: a timed-out session ends there first
    sign_in.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from maturity.views import actions, assessments, errors, health, home, organisations, reports

    app.register_blueprint(health.bp)
    from maturity.views import accessibility

    app.register_blueprint(accessibility.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(organisations.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(actions.bp)
    app.register_blueprint(reports.bp)
    from maturity.views import figures

    # Figure 8 on its own (SVG, PNG, one-page PDF), linked beside the report.
    app.register_blueprint(figures.bp)
    from maturity.views import progress as progress_views

    app.register_blueprint(progress_views.bp)
    from maturity.views import admin, data_exchange, invitations, review

    app.register_blueprint(admin.bp)
    app.register_blueprint(invitations.bp)
    app.register_blueprint(review.bp)
    from maturity.views import oversight

    app.register_blueprint(oversight.bp)
    app.register_blueprint(data_exchange.bp)
    from maturity.views import drafts, session_timeout

    # The time-out warning, and drafts of a domain's answers kept as they are typed.
    session_timeout.init_app(app)
    drafts.init_app(app)
    from maturity import jobs
    from maturity.views import jobs as job_views

    jobs.init_app(app)
    app.register_blueprint(job_views.bp)
    errors.register(app)

    @app.context_processor
    def service() -> dict[str, Any]:
        return {"service_name": app.config["SERVICE_NAME"]}
