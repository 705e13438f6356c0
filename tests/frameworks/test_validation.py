"""Reading a framework file: every problem is listed with where it is; nothing unsafe runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from maturity.frameworks import FrameworkFileError, checksum, colours, load, parse, validation

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "frameworks" / "example-framework.yaml"
NAO = ROOT / "maturity" / "frameworks" / "nao-performance-measurement.v1.json"

SMALL = """\
key: small
version: 1
name: Small
source: Made up for a test.
levels: [Low, Middle, High]
domains:
  - key: first
    name: First
    descriptors: [one, two, three]
  - key: second
    name: Second
    descriptors: [one, two, three]
"""


def problems(text: str | bytes) -> list[str]:
    spec, found = validation.read(text.encode() if isinstance(text, str) else text)
    assert spec is None
    return [str(problem) for problem in found]


def test_the_example_file_shows_every_feature_and_loads():
    spec, found = validation.read(EXAMPLE.read_bytes())
    assert found == []
    assert spec is not None
    assert spec.key == "example-data-maturity"
    assert "illustrative" in spec.name.lower() and "not based on" in spec.source
    assert spec.levels == ("Initial", "Managed", "Defined", "Embedded")
    assert [d.key for d in spec.domains] == [
        "knowing-your-data",
        "data-quality",
        "using-data",
        "skills",
    ]
    knowing = spec.domains[0]
    assert knowing.description.startswith("Whether the body knows what data it holds")
    assert knowing.criteria_for(1) == ()
    assert knowing.criteria_for(2) == (
        "A register of data sets exists and names an owner for each.",
        "The register is available to everyone who handles the data.",
    )
    assert spec.domains[2].criteria == ()
    assert len(spec.notes) == 2
    assert spec.figure_title == "Maturity of data management (example)"
    # Given colours are kept; the others come from the palette, none used twice.
    assert spec.domains[0].colour == "#12436D" and spec.domains[2].colour == "#801650"
    assigned = [spec.domains[1].colour, spec.domains[3].colour]
    assert all(colour in colours.PALETTE for colour in assigned)
    assert len({d.colour for d in spec.domains}) == 4


def test_the_nao_file_is_a_framework_file_like_any_other():
    spec, found = validation.read(NAO.read_bytes())
    assert found == []
    assert spec == load(NAO.name)


def test_defaults_for_the_optional_fields():
    spec, _ = validation.read(SMALL.encode())
    assert spec is not None
    assert spec.figure_title == "Small"
    assert spec.definitions_title == "Definitions of the levels of maturity"
    assert spec.notes == ()
    assert [d.description for d in spec.domains] == ["", ""]
    assert [d.colour for d in spec.domains] == list(colours.PALETTE[:2])


def test_a_missing_descriptor_is_placed_by_domain_and_line():
    text = SMALL.replace(
        "descriptors: [one, two, three]\n  - key: second",
        "descriptors: [one, two]\n  - key: second",
    )
    assert problems(text) == [
        "line 9, domains[1].descriptors: 2 descriptors for 3 levels: "
        "give one for every level, lowest first"
    ]


@pytest.mark.parametrize(
    ("levels", "count"),
    [("[Low, High]", 2), ("[A, B, C, D, E, F, G, H]", 8)],
)
def test_a_level_count_outside_three_to_seven_is_refused(levels, count):
    text = SMALL.replace("[Low, Middle, High]", levels).replace(
        "descriptors: [one, two, three]", "descriptors: " + levels
    )
    assert problems(text) == [
        f"line 5, levels: a framework has from 3 to 7 levels; this file has {count}"
    ]


def test_a_domain_count_outside_one_to_twelve_is_refused():
    domain = "  - {{key: d{0}, name: D{0}, descriptors: [one, two, three]}}\n"
    head = SMALL.split("domains:")[0] + "domains:\n"
    found = problems(head + "".join(domain.format(n) for n in range(13)))
    assert found == ["line 6, domains: a framework has from 1 to 12 domains; this file has 13"]
    assert problems(head.replace("domains:\n", "domains: []\n")) == [
        "line 6, domains: a framework has from 1 to 12 domains; this file has 0"
    ]


def test_duplicate_keys_names_and_levels_are_each_reported():
    text = (
        SMALL.replace("[Low, Middle, High]", "[Low, Middle, low]")
        .replace("key: second", "key: first")
        .replace("name: Second", "name: FIRST")
    )
    assert problems(text) == [
        "line 5, levels[3]: 'low' is already the name of level 1",
        "line 10, domains[2].key: 'first' is already the key of domains[1]",
        "line 11, domains[2].name: 'FIRST' is already the name of domains[1]",
    ]


def test_a_field_given_twice_in_yaml_is_not_silently_overwritten():
    assert problems(SMALL.replace("name: Small\n", "name: Small\nname: Large\n")) == [
        "line 4, name: is given twice (first on line 3)"
    ]


def test_criteria_must_name_levels_and_list_statements():
    text = SMALL.replace(
        "    descriptors: [one, two, three]\n  - key: second",
        "    descriptors: [one, two, three]\n    criteria:\n      Top: [x]\n      Low: []\n"
        "  - key: second",
    )
    assert problems(text) == [
        "line 11, domains[1].criteria[\"Top\"]: 'Top' is not a level name; "
        "the levels are Low, Middle, High",
        'line 12, domains[1].criteria["Low"]: list at least one statement, or leave this level out',
    ]


def test_colours_must_stand_out_against_white_and_differ():
    text = SMALL.replace("name: First\n", 'name: First\n    colour: "#FFDD00"\n').replace(
        "name: Second\n", 'name: Second\n    colour: "#ffdd00"\n'
    )
    found = problems(text)
    assert (
        "line 9, domains[1].colour: #FFDD00 has a contrast of 1.3:1 against white; a bar "
        "needs at least 3:1 (or leave the colour out)" in found
    )
    assert "line 13, domains[2].colour: #ffdd00 is already the colour of domains[1]" in found


def test_schema_problems_say_what_is_wrong_in_plain_words():
    text = (
        SMALL.replace("key: small", "key: Small Framework")
        .replace("version: 1", "version: one")
        .replace("source: Made up for a test.\n", "")
        .replace("name: First\n", "name: First\n    colour: red\n    weight: 2\n")
    )
    assert problems(text) == [
        "line 1, the file: 'source' is missing",
        "line 1, key: 'Small Framework' is not a valid key: use lower-case letters, digits "
        "and single hyphens",
        "line 2, version: should be a whole number, not 'one'",
        "line 6, domains[1]: 'weight': not a field of a framework file (see the format's "
        "documentation)",
        "line 8, domains[1].colour: 'red' is not a colour written as #RRGGBB (for example #12436D)",
    ]


def test_every_problem_in_a_file_is_listed_at_once():
    text = (
        SMALL.replace("[Low, Middle, High]", "[Low, Middle, High, '4']")
        .replace("key: second", "key: first")
        .replace("name: Small\n", "name: Small\nnotes: [fine, 3]\n")
    )
    assert problems(text) == [
        "line 4, notes[2]: should be text, not the number 3",
        "line 6, levels[4]: '4' is a number; a level name must be words",
        "line 10, domains[1].descriptors: 3 descriptors for 4 levels: "
        "give one for every level, lowest first",
        "line 11, domains[2].key: 'first' is already the key of domains[1]",
        "line 13, domains[2].descriptors: 3 descriptors for 4 levels: "
        "give one for every level, lowest first",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"key: caf\xe9\n",
            "the file: is not UTF-8 text (byte 9 is not valid UTF-8): save it as UTF-8",
        ),
        (b"", "the file: is empty"),
        (
            b"- a list\n",
            "line 1, the file: should be a mapping of fields (key: value), as in the example",
        ),
        (
            b"key: [unclosed\n",
            "line 2, the file: is not valid YAML: expected ',' or ']', but got '<stream end>'",
        ),
        (
            b" " * (validation.MAX_BYTES + 1),
            "the file: is larger than 1 MB, the most a framework file may be",
        ),
    ],
)
def test_files_that_are_not_framework_documents(content, message):
    assert problems(content) == [message]


def test_only_safe_yaml_is_read(tmp_path):
    marker = tmp_path / "ran"
    text = f"key: !!python/object/apply:os.system ['touch {marker}']\n"
    [problem] = problems(text)
    assert problem.startswith(
        "line 1, the file: is not valid YAML: could not determine a constructor"
    )
    assert not marker.exists()


def test_aliases_are_refused_so_a_small_file_cannot_expand_into_a_huge_one():
    text = SMALL.replace("levels: [Low, Middle, High]", "levels: &l [Low, Middle, High]").replace(
        "descriptors: [one, two, three]\n  - key: second", "descriptors: *l\n  - key: second"
    )
    assert problems(text) == ["line 9, domains[1].descriptors: aliases (*name) are not allowed"]


def test_parse_raises_every_problem_together():
    with pytest.raises(FrameworkFileError) as raised:
        parse(
            {"key": "k", "version": 1, "name": "n", "source": "s", "levels": ["A"], "domains": []}
        )
    assert [str(problem) for problem in raised.value.problems] == [
        "domains: a framework has from 1 to 12 domains; this file has 0",
        "levels: a framework has from 3 to 7 levels; this file has 1",
    ]


def test_the_checksum_is_of_the_content_not_the_layout():
    spec, _ = validation.read(SMALL.encode())
    relaid = "# a comment\n" + SMALL.replace(
        "[one, two, three]", "\n      - one\n      - two\n      - three"
    )
    same, _ = validation.read(relaid.encode())
    changed, _ = validation.read(
        SMALL.replace("[one, two, three]", "[one, two, Three]", 1).encode()
    )
    assert spec is not None and same is not None and changed is not None
    assert checksum(same) == checksum(spec)
    assert checksum(changed) != checksum(spec)


def test_the_palette_has_a_distinct_accessible_colour_for_each_of_twelve_domains():
    assert len(set(colours.PALETTE)) == 12
    for colour in colours.PALETTE:
        assert colours.contrast_with_white(colour) >= colours.MINIMUM_CONTRAST, colour
    # The WCAG formula: black on white is 21:1, white on white 1:1.
    assert round(colours.contrast_with_white("#000000"), 1) == 21.0
    assert round(colours.contrast_with_white("#FFFFFF"), 1) == 1.0


def test_the_shipped_schema_is_a_valid_json_schema_and_accepts_the_shipped_files():
    Draft202012Validator.check_schema(validation.schema())
    checker = Draft202012Validator(validation.schema())
    for text in (EXAMPLE.read_text(), NAO.read_text()):
        assert list(checker.iter_errors(yaml.safe_load(text))) == []


def test_the_minimal_file_in_the_format_documentation_is_valid():
    documentation = (ROOT / "docs" / "frameworks" / "format.md").read_text()
    minimal = documentation.split("## A minimal file")[1].split("```yaml\n")[1].split("```")[0]
    spec, found = validation.read(minimal.encode())
    assert found == []
    assert spec is not None and spec.levels == ("Starting", "Developing", "Established")


def test_a_file_nested_thousands_deep_is_refused_with_a_reason():
    assert problems("[" * 3000 + "]" * 3000) == ["the file: is nested too deeply to be a framework"]


def test_a_version_larger_than_the_database_keeps_is_refused():
    assert problems(SMALL.replace("version: 1", f"version: {2**31}")) == [
        "line 2, version: 2147483648 is greater than the maximum of 2147483647"
    ]
