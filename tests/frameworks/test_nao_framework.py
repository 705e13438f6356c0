"""The shipped NAO framework is exactly the matrix restated in shared/seed/figure-8.md."""

from pathlib import Path

import pytest

from maturity.data import frameworks
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, FrameworkFileError, load, parse

# Copied from figure-8.md, "The definitions (the matrix)"; checked against the file when present.
FIGURE_8_MATRIX = """\
| Level | Developing a framework | Reporting performance information | Using the framework |
| 1 Existing | A framework for performance measures exists. | Performance information is produced. | Performance information is reported to 'the board'. |
| 2 Functioning | The framework is structured around shared strategic objectives and provides an overview of the performance of government and law enforcement bodies. | Information (data and/or narrative) is of high quality (or limitations of data are understood) and are timely. | Performance information is monitored by 'the board'. |
| 3 Enabling | Performance measures are based on business models and delivery maps. | Performance reports are accessible and actionable. | Performance information is used by 'the board' to evaluate the effectiveness of activities. |
| 4 Challenging | The framework is integrated across government and law enforcement bodies. | Targets and benchmarks are used as comparators. | Performance information is linked to financial information and used to determine value for money. |
| 5 Optimising | The links among key drivers of performance are quantified and validated to produce leading indicators. | Performance reports explain the story of the performance of government and law enforcement bodies and suggest a course of action. | Performance information is communicated and used throughout the organisation and a performance culture exists. |
"""
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "figure-8.md"


def _matrix(text: str) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    header, body = rows[0], rows[1:]
    domains = header[1:]
    levels = [row[0].split(" ", 1)[1] for row in body]
    cells = {
        (row[0].split(" ", 1)[1], domain): text
        for row in body
        for domain, text in zip(domains, row[1:], strict=True)
    }
    return levels, domains, cells


def test_the_copy_here_matches_the_seed_file():
    if not SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    seed_rows = [line for line in SEED.read_text().splitlines() if line.startswith("| ")]
    for line in FIGURE_8_MATRIX.splitlines():
        assert line in seed_rows


def test_the_data_file_is_the_figure_8_matrix_word_for_word():
    spec = load("nao-performance-measurement.v1.json")
    levels, domains, cells = _matrix(FIGURE_8_MATRIX)
    assert list(spec.levels) == levels
    assert [d.name for d in spec.domains] == domains
    assert [d.key for d in spec.domains] == [
        "developing-a-framework",
        "reporting-performance-information",
        "using-the-framework",
    ]
    for domain in spec.domains:
        for level, descriptor in zip(spec.levels, domain.descriptors, strict=True):
            assert descriptor == cells[(level, domain.name)]
    assert spec.figure_title == "Maturity of performance measurement"
    assert spec.definitions_title == (
        "Definitions of the different levels of maturity for performance measurement"
    )


def test_the_migration_installed_it_in_the_database_in_order():
    framework = frameworks.current(key=DEFAULT_FRAMEWORK_KEY)
    spec = load("nao-performance-measurement.v1.json")
    assert [level.name for level in framework.levels] == list(spec.levels)
    assert [level.number for level in framework.levels] == list(range(1, len(spec.levels) + 1))
    assert [d.name for d in framework.domains] == [d.name for d in spec.domains]
    for domain, domain_spec in zip(framework.domains, spec.domains, strict=True):
        assert tuple(d.text for d in domain.descriptors) == domain_spec.descriptors


def test_a_domain_missing_a_descriptor_is_refused():
    with pytest.raises(FrameworkFileError, match="2 descriptors for 3 levels"):
        parse(
            {
                "key": "k",
                "version": 1,
                "name": "n",
                "figure_title": "t",
                "definitions_title": "d",
                "source": "s",
                "levels": ["A", "B", "C"],
                "domains": [
                    {"key": "x", "name": "X", "colour": "#000000", "descriptors": ["1", "2"]}
                ],
            }
        )
