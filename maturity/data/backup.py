"""Everything in the database as one JSON document, and back into an empty database.

The document is deterministic (tables by name, rows by primary key, keys sorted, dates as
ISO 8601), so backing up a restored database gives the same bytes. People are backed up
without their password hashes, two-factor secrets, recovery codes or session identifiers:
restored people have no password and must be sent a reset link.
"""

from __future__ import annotations

import enum
import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Enum, Table, func, select, text

from maturity.data import report_triggers
from maturity.extensions import db

FORMAT = "maturity-backup"
VERSION = 1
# Never leave the database: a restored person sets a new password from a reset link.
SECRET_COLUMNS = {
    "user": (
        "password",
        "fs_uniquifier",
        "tf_primary_method",
        "tf_totp_secret",
        "tf_phone_number",
        "tf_totp_last_counter",
        "mf_recovery_codes",
    )
}
# Installed by the migrations: a fresh database already holds them, so a restore matches
# them up rather than counting them as data.
FRAMEWORK_TABLES = ("framework", "framework_domain", "framework_level", "descriptor")


class RestoreRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Not data: report jobs are the workers' to-do list, and their files are not in the
# backup. A restored service renders its reports again (see restore).
NOT_BACKED_UP = {"alembic_version", "report_job"}


def _tables() -> list[Table]:
    return [table for table in db.metadata.sorted_tables if table.name not in NOT_BACKED_UP]


def _revision() -> str | None:
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def _dump_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump() -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        hidden = SECRET_COLUMNS.get(table.name, ())
        columns = [c for c in table.columns if c.name not in hidden]
        rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns))
        tables[table.name] = [
            {name: _dump_value(value) for name, value in row._mapping.items()} for row in rows
        ]
    return {"format": FORMAT, "version": VERSION, "revision": _revision(), "tables": tables}


def dumps() -> str:
    """The backup as text: the same database always gives the same bytes."""
    return json.dumps(dump(), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def is_empty() -> bool:
    return all(
        not db.session.scalar(select(func.count()).select_from(table))
        for table in _tables()
        if table.name not in FRAMEWORK_TABLES
    )


def restore(document: dict[str, Any]) -> dict[str, int]:
    """Load a backup into this (empty) database; how many rows of each table were loaded.

    Raises :class:`RestoreRefused` when the database holds data already or the backup is not
    one this version of the service wrote.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused("This is not a maturity backup file")
    if document.get("version") != VERSION:
        raise RestoreRefused(f"This backup is version {document.get('version')!r}: expected 1")
    if document.get("revision") != _revision():
        raise RestoreRefused(
            f"The backup was made at database revision {document.get('revision')}, this "
            f"database is at {_revision()}: run `flask --app maturity db upgrade` on a database "
            "at the backup's revision, or restore with the matching version of the service"
        )
    if not is_empty():
        raise RestoreRefused(
            "The database is not empty: restore only into a new database "
            "(`flask --app maturity db upgrade` on an empty one). Nothing was restored."
        )
    data = document.get("tables")
    known = {table.name for table in _tables()}
    if not isinstance(data, dict) or set(data) - known:
        raise RestoreRefused("The backup has tables this service does not know")
    loaded: dict[str, int] = {}
    try:
        for table in _tables():
            rows = [_load_row(table, row) for row in data.get(table.name, [])]
            loaded[table.name] = _insert(table, rows)
        _reset_sequences()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    # Core inserts, unseen by the session's listeners; the change counters are restored as
    # they were, but no report of this data has been rendered here yet.
    report_triggers.changed_outside(
        db.session(), organisation_ids={row["id"] for row in data.get("organisation", [])}
    )
    return loaded


def _load_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = {}
    for name, value in row.items():
        column = table.columns[name]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, Enum) and column.type.enum_class:
            value = column.type.enum_class(value)
        loaded[name] = value
    if table.name == "user":
        # A new session identifier: cookies from the old service do not carry over.
        loaded["fs_uniquifier"] = uuid.uuid4().hex
    return loaded


def _insert(table: Table, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    # Rows referring to others of the same table (a parent organisation) point at them
    # once every row is in.
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    key = [column.name for column in table.primary_key.columns]
    if table.name in FRAMEWORK_TABLES:
        # Installed by the migrations: take the backup's copy (same ids), so nothing differs.
        present = {tuple(r) for r in db.session.execute(select(*table.primary_key.columns)).all()}
        for row in rows:
            if tuple(row[k] for k in key) in present:
                where = [table.columns[k] == row[k] for k in key]
                db.session.execute(table.update().where(*where).values(**row))
            else:
                db.session.execute(table.insert().values(**row))
        return len(rows)
    first = [{**row, **dict.fromkeys(own)} for row in rows]
    db.session.execute(table.insert(), first)
    for row in rows:
        links = {name: row[name] for name in own if row.get(name) is not None}
        if links:
            # Keep what an update would otherwise stamp afresh (an assessment's updated_at).
            links.update(
                {c.name: row[c.name] for c in table.columns if c.onupdate and c.name in row}
            )
            where = [table.columns[k] == row[k] for k in key]
            db.session.execute(table.update().where(*where).values(**links))
    return len(rows)


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not move on."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )
