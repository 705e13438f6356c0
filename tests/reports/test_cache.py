"""The PDF cache: a repeat of the same inputs is a file read, any change of input is a new
entry, entries appear whole or not at all, and the folder stays under its limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from maturity.reports import cache, pdf

HTML = (
    '<html lang="en"><head><title>t</title><style>body { font-family: Arial, "Liberation Sans" }'
    "</style></head><body><p>Cached once.</p></body></html>"
)


@pytest.fixture
def folder(app, tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    where = tmp_path / "report-cache"
    monkeypatch.setitem(app.config, "REPORT_CACHE_DIR", str(where))
    return where


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.pdf"))


def test_a_repeat_download_is_a_file_read_not_a_render(folder, monkeypatch):
    first = pdf.to_pdf(HTML)
    assert first.startswith(b"%PDF-")
    assert len(_entries(folder)) == 1

    def no_rendering(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("rendered again")

    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", no_rendering)
    assert pdf.to_pdf(HTML) == first


def test_different_html_is_a_different_entry(folder):
    pdf.to_pdf(HTML)
    pdf.to_pdf(HTML.replace("Cached once.", "Cached twice."))
    assert len(_entries(folder)) == 2


def test_the_key_covers_assets_weasyprint_and_the_variant(tmp_path, monkeypatch):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "report.css").write_text("p { color: black }")
    monkeypatch.setattr(cache, "ASSET_FOLDERS", (assets,))
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    before = cache.key(HTML, variant="pdf/ua-1")
    assert cache.key(HTML, variant="pdf/ua-1") == before
    assert cache.key(HTML, variant="pdf/a-3b") != before

    os.utime(assets / "report.css", ns=(1, 1))  # touched, not changed: the same key
    assert cache.key(HTML, variant="pdf/ua-1") == before
    (assets / "report.css").write_text("p { color: navy }")
    assert cache.key(HTML, variant="pdf/ua-1") != before
    (assets / "report.css").write_text("p { color: black }")
    assert cache.key(HTML, variant="pdf/ua-1") == before

    cache.renderer_version.cache_clear()
    monkeypatch.setattr(cache.metadata, "version", lambda name: "999.0")
    try:
        assert cache.key(HTML, variant="pdf/ua-1") != before
    finally:
        cache.renderer_version.cache_clear()


def test_the_report_stylesheet_is_part_of_the_key():
    names = {Path(name).name for name, _, _ in cache._asset_listing()}
    assert "organisation.css" in names


def test_a_write_that_fails_leaves_neither_a_half_file_nor_litter(tmp_path, monkeypatch):
    target = tmp_path / "ab" / "entry.pdf"

    def crash(*args):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        cache.write_atomically(target, b"%PDF-" + b"x" * 1000)
    assert list((tmp_path / "ab").iterdir()) == []


def test_an_unwritable_cache_still_gives_the_report(app, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setitem(app.config, "REPORT_CACHE_DIR", str(blocked))
    assert pdf.to_pdf(HTML).startswith(b"%PDF-")


def test_the_folder_is_kept_under_its_limit_by_dropping_the_least_recently_used(tmp_path):
    for number, name in enumerate(("aa1", "bb2", "cc3")):
        cache.write_atomically(tmp_path / name[:2] / f"{name}.pdf", b"x" * 1000)
        os.utime(tmp_path / name[:2] / f"{name}.pdf", ns=(number * 10**9, number * 10**9))
    assert cache.read(tmp_path, "aa1") == b"x" * 1000  # a hit makes it the newest
    assert cache.evict(tmp_path, limit_bytes=2000) == 1
    assert [p.name for p in _entries(tmp_path)] == ["aa1.pdf", "cc3.pdf"]


def test_store_applies_the_configured_limit(app, folder, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_CACHE_MAX_MB", 1)
    big = b"x" * (700 * 1024)
    cache.store(folder, "aa" + "0" * 62, big)
    cache.store(folder, "bb" + "0" * 62, big)
    assert len(_entries(folder)) == 1
    assert cache.read(folder, "bb" + "0" * 62) == big


def test_an_empty_setting_turns_the_cache_off(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_CACHE_DIR", "")
    assert cache.folder() is None
    assert pdf.to_pdf(HTML).startswith(b"%PDF-")
