"""Whether an oversight report built earlier is the one a download now would build.

An organisation's own report is cheap to describe exactly: its HTML (about 10 ms to build)
names its PDF in the cache (maturity/reports/cache.py). The oversight report of a thousand
bodies is not: its HTML takes seconds. So it is named by what it is built from instead:
the overseeing body, what was asked for (period, framework, order), the day it is dated,
each body's name, place in the tree and change counter (``data_version``, raised in the
same transaction as any change to its assessments: maturity/data/report_triggers.py), and
the code and templates that turn those into a PDF. Same key, same PDF; a changed body, a
new day or a new release gives a new key, and the report is built again.

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
