"""Whether a report built earlier is the one a download now would build, without building it.

A download must answer in a few milliseconds, so a report is named by what it is built from,
not by its content: the organisation (or, for an oversight report, every body below it) with
its name and change counter (``data_version``, raised in the same transaction as any change
to the data its reports show: maturity/data/report_triggers.py), what was asked for (periods,
framework, order), the day it is dated, and the code and templates that turn those into a
PDF. Same key, same PDF; a change, a new day or a new release gives a new key, and the
report is built again. (Building an organisation report's HTML to name it would cost the
download a dozen queries and the template; the oversight report's HTML takes seconds.)

A person's name on the sign-off is not counted: a renamed person's new name appears from the
next day, or the organisation's next change.

A builder reads the counters before the levels: a change committed in between then gives
a PDF newer than its key says, which costs a rebuild, never a stale download.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from maturity import ROOT
from maturity.data import oversight as oversight_data
from maturity.models import Organisation
from maturity.reports import cache

# What turns the data into a PDF: the package's code and data files, and the templates.
_SOURCES = ((ROOT / "maturity", ("*.py", "*.json", "*.yaml")), (ROOT / "templates", ("*",)))


@functools.cache
def code_digest() -> str:
    """A digest of every source file, read once per process: a release that changes any of
    them makes every earlier key unused."""
    digest = hashlib.sha256(cache.renderer_version().encode())
    for folder, patterns in _SOURCES:
        paths = sorted({p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()})
        for path in paths:
            digest.update(Path(path).relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def organisation_key(
    *, organisation: Organisation, kind: str, parameters: dict[str, Any], day: date
) -> str:
    """The key of the ``kind`` of report (the full report, Figure 8 alone) of
    ``organisation`` as ``parameters`` ask for it, dated ``day``: no query beyond the
    organisation's own row, already loaded to check who may read it."""
    described = {
        "kind": kind,
        "organisation": [
            organisation.id,
            organisation.name,
            organisation.slug,
            organisation.data_version,
        ],
        "parameters": parameters,
        "day": day.isoformat(),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def oversight_key(*, organisation: Organisation, parameters: dict[str, Any], day: date) -> str:
    """The key of the oversight PDF of ``organisation``'s bodies as ``parameters`` ask for
    it, dated ``day``, in one query."""
    described = {
        "organisation": [organisation.id, organisation.name, organisation.slug],
        "parameters": parameters,
        "day": day.isoformat(),
        "bodies": oversight_data.counters(organisation=organisation),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()
