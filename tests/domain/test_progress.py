"""Progress: which levels were moderated, which periods await approval, and how levels move."""

from __future__ import annotations

import pytest

from maturity.domain.chart import MODERATION_NOTE, describe, render_svg
from maturity.domain.progress import level_change
from tests.domain.test_chart import nao


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (2, 3, "Up 1 level"),
        (0, 3, "Up 3 levels"),
        (3, 3, "Same level"),
        (3, 2, "Down 1 level"),
        (5, 1, "Down 4 levels"),
        (None, 2, "Not known"),
        (2, None, "Not known"),
    ],
)
def test_a_change_of_level_is_said_in_words(before, after, said):
    assert level_change(before, after) == said


def test_progress_without_moderation_or_pending_periods_reads_as_before():
    progress = nao()
    assert not progress.has_moderation and progress.unapproved == frozenset()
    assert progress.is_approved("2018") and not progress.is_approved("2030")
    assert MODERATION_NOTE not in describe(progress)
    assert "not yet approved" not in describe(progress)


def test_the_description_says_which_levels_were_moderated_and_what_awaits_approval():
    progress = nao(moderated=frozenset({("2018", "developing")}), unapproved=frozenset({"2018"}))
    assert progress.is_moderated("2018", "developing")
    assert not progress.is_moderated("2017", "developing")
    assert not progress.is_approved("2018") and progress.is_approved("2017")
    text = describe(progress)
    assert (
        "2018 (submitted, not yet approved): Developing a framework Enabling (moderated)," in text
    )
    assert "2017: Developing a framework Functioning," in text
    assert text.endswith(f"{MODERATION_NOTE}.")
    # Ambitions are targets, never moderated.
    assert "Ambition: Developing a framework Challenging," in text
    assert f'<desc id="figure8-desc">{text}</desc>' in render_svg(progress)
