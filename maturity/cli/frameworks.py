"""``flask --app maturity frameworks load FILE`` and ``frameworks list``."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask.cli import AppGroup

from maturity.data import frameworks as framework_data
from maturity.domain.errors import DomainError
from maturity.frameworks import validation

frameworks = AppGroup("frameworks", help="Load and list maturity frameworks.")


@frameworks.command("load")
@click.argument("file", type=click.File("rb"))
def load(file: BinaryIO) -> None:
    """Load a framework version from FILE (YAML or JSON, see docs/frameworks/format.md).

    Every problem is printed on its own line with where it is; nothing is loaded then.
    """
    # One byte over the limit is enough to know the file is too large.
    spec, problems = validation.read(file.read(validation.MAX_BYTES + 1))
    if spec is None:
        for problem in problems:
            click.echo(f"{file.name}: {problem}", err=True)
        click.echo(f"Nothing was loaded: {len(problems)} problem(s) to fix.", err=True)
        raise SystemExit(1)
    try:
        loaded = framework_data.load(spec=spec, actor=None)
    except DomainError as error:
        click.echo(f"{file.name}: {error.message}", err=True)
        raise SystemExit(1) from None
    click.echo(loaded.message)


@frameworks.command("list")
def list_frameworks() -> None:
    """Every framework version: key, version, name and how many assessments use it."""
    for framework, count in framework_data.with_assessment_counts():
        click.echo(
            f"{framework.key}\t{framework.version}\t{framework.name}\t"
            f"{count} assessment{'' if count == 1 else 's'}"
        )


COMMANDS = [frameworks]
