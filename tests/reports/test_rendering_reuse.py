"""What a render takes over from the renders before it: the parsed linked stylesheet (never
stale), and the garbage collector it pauses (always resumed as it was)."""

from __future__ import annotations

import gc
import re

import pytest

from maturity.reports import collector, pdf

HTML = (
    '<html lang="en"><head><title>t</title><link rel="stylesheet" href="reuse.css"></head>'
    "<body><p>Styled by a linked sheet.</p></body></html>"
)


# Past the PDF cache: its key covers the real template folder, not the one made here.
render = pdf.to_pdf.__wrapped__  # type: ignore[attr-defined]


@pytest.fixture
def templates(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pdf, "TEMPLATE_FOLDER", tmp_path)
    monkeypatch.setattr(pdf, "BASE_URL", tmp_path.as_uri() + "/")
    return tmp_path


def test_an_edited_linked_stylesheet_is_parsed_again(templates):
    sheet = templates / "reuse.css"
    sheet.write_text('p { font-family: Arial, "Liberation Sans"; color: #0b0c0c }')
    first = render(HTML)
    sheet.write_text('p { font-family: Arial, "Liberation Sans"; color: #505a5f }')
    assert render(HTML) != first
    sheet.write_text('p { font-family: Arial, "Liberation Sans"; color: #0b0c0c }')
    assert render(HTML) == first


def test_a_missing_linked_stylesheet_stops_the_report(templates):
    with pytest.raises(pdf.ReportError, match=re.escape("reuse.css")):
        render(HTML)


def test_a_link_in_the_body_is_left_to_weasyprint(templates):
    """Only the head's links are ours: people's words are escaped, but whatever the body
    holds is never read from beside the templates."""
    (templates / "reuse.css").write_text('p { font-family: Arial, "Liberation Sans" }')
    html, names = pdf._split_linked_stylesheets(
        HTML.replace("</body>", '<link rel="stylesheet" href="other.css"></body>')
    )
    assert names == ["reuse.css"]
    assert '<link rel="stylesheet" href="other.css">' in html
    assert 'href="reuse.css"' not in html


def test_the_collector_is_paused_during_a_render_and_resumed_after():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # an overlapping render
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first one is still rendering
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_resumes_when_the_render_fails():
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the render failed")
    assert gc.isenabled()
