"""The WSGI entry point: `gunicorn wsgi:app`."""

from maturity import create_app

app = create_app()
