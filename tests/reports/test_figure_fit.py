"""The one-page figure's fit: orientation, type size and chart width from the words alone."""

from __future__ import annotations

from maturity.reports import figure_fit
from maturity.reports.figure_fit import DENSITIES, FLOOR_CHART_MM, MIN_CHART_MM, Words, choose

NAO_DESCRIPTOR = (
    "Performance reports explain the story of the performance of government and law "
    "enforcement bodies and suggest a course of action."
)
RATIO = 0.53  # the NAO chart's height over its width


def words(domains: int, levels: int, descriptor: str = "Domain 1 at level 1.") -> Words:
    return Words(
        title="Maturity of performance measurement",
        subtitle="Home Office's maturity rose in all 3 domains between 2014 and 2018.",
        notices=(),
        domains=[f"Domain {n}" for n in range(1, domains + 1)],
        levels=[f"{n} Level {n}" for n in range(1, levels + 1)],
        descriptors=[[descriptor] * domains for _ in range(levels)],
        definitions_title="Definitions of the different levels of maturity",
        notes=["A note about the levels that takes a line or two to say. " * 2] * 3,
        source="Source: Home Office's assessments, generated 24 November 2026.",
    )


def test_the_nao_figure_is_portrait_at_the_largest_type_with_the_chart_full_width():
    fit = choose(words(3, 5, NAO_DESCRIPTOR), chart_ratio=RATIO)
    assert fit.fits
    assert fit.orientation == "portrait" and fit.density == DENSITIES[0]
    assert fit.chart_mm == int(fit.content_mm[0])
    assert fit.estimated_mm <= fit.content_mm[1]


def test_many_domains_fit_one_page_with_the_chart_wide_enough_to_read():
    for domains, levels in ((7, 6), (12, 7), (1, 3)):
        fit = choose(words(domains, levels), chart_ratio=RATIO)
        assert fit.fits, (domains, levels)
        assert fit.chart_mm >= MIN_CHART_MM
        assert fit.estimated_mm <= fit.content_mm[1]


def test_more_words_take_smaller_type_before_a_narrower_chart():
    short = choose(words(4, 5, NAO_DESCRIPTOR), chart_ratio=RATIO)
    longer = choose(words(4, 7, NAO_DESCRIPTOR), chart_ratio=RATIO)
    assert DENSITIES.index(longer.density) > DENSITIES.index(short.density)
    assert longer.fits and longer.chart_mm >= MIN_CHART_MM


def test_a_long_matrix_narrows_the_chart_down_to_the_floor_before_a_second_page():
    fit = choose(words(6, 7, NAO_DESCRIPTOR), chart_ratio=RATIO)
    assert fit.fits and FLOOR_CHART_MM <= fit.chart_mm < MIN_CHART_MM


def test_a_matrix_too_long_for_any_page_is_set_as_tight_as_can_be():
    fit = choose(words(12, 7, NAO_DESCRIPTOR * 6), chart_ratio=RATIO)
    assert not fit.fits
    assert fit.orientation == "landscape" and fit.density == DENSITIES[-1]
    assert fit.chart_mm == FLOOR_CHART_MM
    assert fit.estimated_mm > fit.content_mm[1]


def test_the_level_column_holds_the_longest_level_name():
    narrow = figure_fit.level_column(["1 Existing", "4 Challenging"], 8)
    wide = figure_fit.level_column(["1 A level with a very long name indeed"], 8)
    assert 18 <= narrow < wide <= 50
