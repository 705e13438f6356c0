"""Flask extensions, created once and bound to an app in ``create_app``."""

import os
import sqlite3
from typing import TYPE_CHECKING, Any

from flask_migrate import Migrate
from flask_security import Security
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

# How long a writer waits for another's lock on the SQLite file before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long to wait for PostgreSQL to accept a connection: /healthz and pages then answer
# 503/500 within seconds when it is down or unreachable, instead of hanging a worker.
DATABASE_CONNECT_TIMEOUT_SECONDS = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Several app server workers share one SQLite file: in WAL mode readers go on while one
    writes, and the busy timeout makes a second writer wait its turn instead of failing."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()


@event.listens_for(Engine, "do_connect")
def _postgresql_connect_timeout(dialect: Any, _record: Any, _args: Any, params: Any) -> None:
    # On the engine rather than in SQLALCHEMY_ENGINE_OPTIONS: the same options would be
    # refused by SQLite's driver, and tests swap the database URL after configuration.
    if dialect.name == "postgresql":
        params.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT_SECONDS)


class Base(DeclarativeBase):
    # Named constraints so Alembic can alter them, and SQLite batch mode can rebuild tables.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
security = Security()

# Models subclass this: at run time Flask-SQLAlchemy's model class, for mypy the typed base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
