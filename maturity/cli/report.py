"""report: an organisation's Figure 8 as a PDF file."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.data import organisations
from maturity.domain.errors import DomainError
from maturity.reports import pdf


@click.command("report")
@click.argument("organisation")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
@click.option("--from", "first", metavar="PERIOD", help="First period, like 2014 or 2014-15.")
@click.option("--to", "last", metavar="PERIOD", help="Last period, like 2018 or 2018-19.")
def report(organisation: str, out: Path, first: str | None, last: str | None) -> None:
    """Write ORGANISATION's (slug or exact name) PDF report to --out."""
    try:
        target = organisations.find(reference=organisation)
        made = pdf.organisation_report(organisation=target, first=first, last=last)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    except pdf.ReportError as error:
        raise click.ClickException(str(error)) from error
    # Written only once rendered, so a failed report never leaves a truncated file behind.
    try:
        out.write_bytes(made.content)
    except OSError as error:
        raise click.ClickException(f"Cannot write {out}: {error.strerror}") from error
    click.echo(f"Wrote {out} ({len(made.content) // 1024} KB) for {target.name}")


COMMANDS = [report]
