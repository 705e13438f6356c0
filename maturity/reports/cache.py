"""Rendered PDFs kept by a hash of everything that decides their bytes.

HTML → PDF is the expensive step (WeasyPrint lays out every page); data → HTML is cheap and
is what names the PDF. The key is the SHA-256 of the HTML, the bytes of every file the HTML
can reference (the stylesheets and assets beside the report templates), the WeasyPrint
version and the PDF variant: change any of them and the old entry is simply never asked for
again.

Entries are files in one folder (``REPORT_CACHE_DIR``) so that several app servers and
workers can share it over a network file system: each is written to a temporary file in the
same folder and moved into place with ``os.replace``, which is atomic, so a reader sees the
whole file or none. The folder is kept under ``REPORT_CACHE_MAX_MB`` by removing the entries
used longest ago.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from flask import current_app, has_app_context

from maturity import ROOT

log = logging.getLogger(__name__)

# Relative URLs in the report templates resolve here (pdf.BASE_URL); anything the HTML can
# pull in lives in these folders.
ASSET_FOLDERS = (ROOT / "templates" / "reports",)
SUFFIX = ".pdf"


def _asset_listing() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every asset: cheap to read on each request, and
    any edit changes it."""
    found = []
    for folder in ASSET_FOLDERS:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _asset_digest(listing: tuple[tuple[str, int, int], ...]) -> bytes:
    # Hashed by content, not by the listing: two servers with the same files (checked out at
    # different times) must agree on the key.
    digest = hashlib.sha256()
    for name, _, _ in listing:
        path = Path(name)
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.digest()


@functools.cache
def renderer_version() -> str:
    # Read from the installed package's metadata: importing WeasyPrint only to ask its
    # version would load it into every web server (see maturity/reports/pdf.py).
    return metadata.version("weasyprint")


def key(html: str, *, variant: str) -> str:
    digest = hashlib.sha256()
    assets = _asset_digest(_asset_listing())
    for part in (renderer_version().encode(), variant.encode(), assets):
        digest.update(part)
        digest.update(b"\0")
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def folder() -> Path | None:
    """The cache folder, or None outside an app or with ``REPORT_CACHE_DIR`` empty (off)."""
    if not has_app_context():
        return None
    configured = current_app.config.get("REPORT_CACHE_DIR")
    return Path(configured) if configured else None


def read(where: Path, name: str) -> bytes | None:
    path = where / name[:2] / (name + SUFFIX)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        # An unreadable share costs a render, never the report.
        log.exception("The report cache in %s could not be read", where)
        return None
    # Eviction removes the entries used longest ago, so a hit counts as a use. Another server
    # may have evicted it meanwhile: we have the bytes already.
    with contextlib.suppress(OSError):
        os.utime(path)
    return content


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that no reader ever sees part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def evict(where: Path, *, limit_bytes: int) -> int:
    """Remove the entries used longest ago until the folder holds at most ``limit_bytes``;
    returns how many were removed."""
    entries = []
    for path in where.glob(f"*/*{SUFFIX}"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((stat.st_mtime_ns, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= limit_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


def store(where: Path, name: str, content: bytes) -> None:
    write_atomically(where / name[:2] / (name + SUFFIX), content)
    limit_mb = current_app.config.get("REPORT_CACHE_MAX_MB", 0)
    if limit_mb:
        evict(where, limit_bytes=int(limit_mb) * 1024 * 1024)


def cached(*, variant: str) -> Callable[[Callable[[str], bytes]], Callable[[str], bytes]]:
    """Decorate the HTML → PDF function: a repeat of the same inputs is a file read.

    A cache that cannot be written (full disk, read-only share) costs a render, never the
    report: the error is logged and the freshly rendered bytes returned."""

    def decorate(render: Callable[[str], bytes]) -> Callable[[str], bytes]:
        @functools.wraps(render)
        def wrapper(html: str) -> bytes:
            where = folder()
            if where is None:
                return render(html)
            name = key(html, variant=variant)
            if (hit := read(where, name)) is not None:
                return hit
            content = render(html)
            try:
                store(where, name, content)
            except OSError:
                log.exception("The report cache in %s could not be written", where)
            return content

        return wrapper

    return decorate
