"""The ``flask --app maturity …`` commands other people's scripts rely on (see PRODUCT.md)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from maturity.cli import backup, csv_commands, demo, frameworks, jobs, report, users

    for module in (users, csv_commands, demo, report, backup, jobs, frameworks):
        for command in module.COMMANDS:
            app.cli.add_command(command)
