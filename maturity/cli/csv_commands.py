"""import-csv and export-csv: ratings in the CSV format of PRODUCT.md."""

from __future__ import annotations

import time
from typing import BinaryIO

import click
from flask.cli import with_appcontext

from maturity.data import imports, organisations
from maturity.data.imports import ImportRejected, ImportSummary
from maturity.domain import csv_format
from maturity.domain.errors import DomainError

# Files longer than this say on standard error that they are being worked on.
LARGE_IMPORT_LINES = 1000


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def describe(summary: ImportSummary) -> str:
    text = (
        f"Imported {_count(summary.ratings, 'rating')} for "
        f"{_count(summary.organisations, 'organisation')} ({_count(summary.periods, 'period')})"
    )
    if created := summary.organisations_created:
        text += f"; created {_count(len(created), 'organisation')}: {', '.join(created)}"
    if summary.unchanged:
        text += (
            f"; left {_count(summary.unchanged, 'rating')} of approved assessments as they were "
            "(the file matches them)"
        )
    return text


@click.command("import-csv")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--create-organisations",
    is_flag=True,
    help="Add organisations the file names that are not there yet, instead of refusing.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="Say nothing on standard error while a large file loads."
)
@with_appcontext
def import_csv(file: BinaryIO, create_organisations: bool, quiet: bool = False) -> None:
    """Load ratings from FILE (CSV, or - for standard input): all or nothing."""
    data = file.read()
    started = time.perf_counter()
    # Large files say what is happening on standard error, so standard output stays the
    # summary a script reads.
    lines = data.count(b"\n")
    noisy = not quiet and lines > LARGE_IMPORT_LINES
    if noisy:
        click.echo(f"Checking and importing about {lines:,} rows from {file.name}…", err=True)
    try:
        summary = imports.import_csv(
            data=data,
            create_organisations=create_organisations,
            progress=_show_progress if noisy else None,
        )
    except ImportRejected as rejected:
        for error in rejected.errors:
            click.echo(str(error), err=True)
        click.echo(rejected.message, err=True)
        raise SystemExit(1) from None
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if noisy:
        click.echo(f"Done in {time.perf_counter() - started:.1f} s", err=True)
    click.echo(describe(summary))


def _show_progress(done: int, total: int) -> None:
    click.echo(f"Written {done:,} of {total:,} rows", err=True)


@click.command("export-csv")
@click.argument("organisation")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@with_appcontext
def export_csv(organisation: str, out: str | None) -> None:
    """Write ORGANISATION's ratings (slug or exact name) in the format import-csv reads."""
    try:
        rows = imports.export_rows(organisation=organisations.find(reference=organisation))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    text = csv_format.to_csv(rows)
    if out is None:
        click.echo(text, nl=False)
        return
    # newline="" so the file has the same line endings on every platform.
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise click.ClickException(f"Cannot write {out}: {error.strerror}") from error
    click.echo(f"Wrote {_count(len(rows), 'rating')} to {out}")


COMMANDS = [import_csv, export_csv]
