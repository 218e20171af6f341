"""UK forms of address from open-innovations' current-MPs.csv: gender, Members API display name, honorific."""

import csv

import pytest

from advocate.errors import DataError
from advocate.importer.gb import honorific, parse_current_mps
from advocate.opendata import store
from tests.helpers import need_raw


def _gb():
    return {p["id"]: p for p in store.load("gb")["people"]}


@pytest.mark.parametrize(
    ("member", "display_name", "title", "gender"),
    [
        ("gb-4514", "Sir Keir Starmer", "Sir", "M"),
        ("gb-4366", "Sir James Cleverly", "Sir", "M"),
        ("gb-1524", "Dame Meg Hillier", "Dame", "F"),
        ("gb-4860", "Dr Kieran Mullan", "Dr", "M"),
        ("gb-5159", "Mr Connor Rand", "Mr", "M"),
        ("gb-5094", "Ms Julie Minns", "Ms", "F"),
        ("gb-4597", "Mrs Kemi Badenoch", "Mrs", "F"),
        ("gb-5173", "Alex Baker", None, "F"),  # most display names carry no title: gender only
        ("gb-5163", "Dr Peter Prinsley", "Dr", "M"),  # mp_lookup.csv's newer display_as wins
        # The three MPs elected after current-MPs.csv (2026-04-03): no gender, no honorific, a note.
        ("gb-1427", "Andy Burnham", None, None),
        ("gb-5450", "Douglas Lumsden", None, None),
        ("gb-5449", "Lara Bird", None, None),
    ],
)  # fmt: skip
def test_forms_of_address(member, display_name, title, gender):
    p = _gb()[member]
    assert (p["display_name"], p["honorific"], p["gender"]) == (display_name, title, gender)
    if gender is None:
        assert "current-MPs.csv" in p["notes"]
    else:
        assert p["notes"] is None


def test_counts_and_every_value_comes_from_the_file():
    raw = need_raw()
    with open(raw / "uk" / "current-MPs.csv", newline="", encoding="utf-8") as f:
        rows = {r["ID"]: r for r in csv.DictReader(f)}
    people = _gb().values()
    assert sum(p["gender"] is not None for p in people) == 647
    titles = {}
    for p in people:
        row = rows.get(p["id"].removeprefix("gb-"))
        if row:
            assert p["gender"] == row["Gender"]
        if p["honorific"]:
            titles[p["honorific"]] = titles.get(p["honorific"], 0) + 1
            assert p["display_name"].startswith(p["honorific"] + " ")
    assert titles == {"Mr": 29, "Sir": 28, "Dr": 22, "Dame": 9, "Ms": 7, "Mrs": 3}
    for p in store.load("us")["people"] + store.load("fr")["people"]:
        assert p["display_name"] is None and p["honorific"] is None


def test_honorific_is_a_title_word_never_a_first_name():
    assert honorific("Sir Iain Duncan Smith") == "Sir"
    assert honorific("Rt Hon Jane Doe") is None
    assert honorific("Miss Jane Doe") == "Miss"
    assert honorific("Drew Hendry") is None
    assert honorific("Dr") is None


def test_current_mps_errors():
    with pytest.raises(DataError, match=r"uk/current-MPs.csv: missing column\(s\) Gender"):
        parse_current_mps(b"PCON24CD,MP,ID\n")
    with pytest.raises(DataError, match=r"uk/current-MPs.csv:2: Gender 'X'"):
        parse_current_mps(b"ID,MP,Gender\n1,Mr A B,X\n")
