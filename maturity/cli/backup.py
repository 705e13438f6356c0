"""backup and restore: everything as JSON, and back into an empty database."""

from __future__ import annotations

import json
from typing import BinaryIO

import click
from flask.cli import with_appcontext

from maturity.data import backup as backups


@click.command("backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The JSON file to write (- for standard output).",
)
@with_appcontext
def backup(out: str) -> None:
    """Write everything (without passwords or two-factor secrets) to a JSON file."""
    text = backups.dumps()
    if out == "-":
        click.echo(text, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise click.ClickException(f"Cannot write {out}: {error.strerror}") from error
    people = len(json.loads(text)["tables"].get("user", []))
    click.echo(
        f"Wrote the backup to {out} ({people} {'person' if people == 1 else 'people'}, "
        "without passwords or two-factor secrets)"
    )


@click.command("restore")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def restore(file: BinaryIO) -> None:
    """Load a backup FILE written by `backup` into an empty database."""
    try:
        document = json.loads(file.read())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"The file is not a JSON backup: {error}") from error
    try:
        loaded = backups.restore(document)
    except backups.RestoreRefused as refused:
        raise click.ClickException(refused.message) from refused
    people = loaded.get("user", 0)
    click.echo(
        f"Restored {loaded.get('organisation', 0)} organisations, {people} people, "
        f"{loaded.get('assessment', 0)} assessments and {loaded.get('rating', 0)} ratings."
    )
    if people:
        click.echo(
            "Restored people have no password and no two-factor sign-in: each needs a password "
            "reset link. Add an administrator with `flask --app maturity create-user EMAIL "
            "--admin` (a new email address), then send reset links from Administration."
        )


COMMANDS = [backup, restore]
