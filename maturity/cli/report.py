"""report: an organisation's Figure 8 as a PDF file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from maturity.data import framework_choice, organisations
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
@click.option(
    "--generated-on",
    "generated_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date printed as generated (YYYY-MM-DD; today when not given). "
    "The same data and date give the same file, byte for byte.",
)
def report(
    organisation: str,
    out: Path,
    first: str | None,
    last: str | None,
    generated_on: datetime | None,
) -> None:
    """Write ORGANISATION's (slug or exact name) PDF report to --out."""
    try:
        target = organisations.find(reference=organisation)
        # The framework the organisation's page shows first: the one it assessed on last.
        framework, _ = framework_choice.framework_to_show(organisation=target, key=None)
        made = pdf.organisation_report(
            organisation=target,
            framework=framework,
            first=first,
            last=last,
            generated_on=generated_on.date() if generated_on else None,
        )
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
