"""Issue 10: office-holders and ministries from the curated files, in the datasets and through the CLI
(acceptance 3), and the curated data going stale like a dataset."""

import json
import re

import pytest
import yaml

from advocate.lookup import people as reps
from tests.helpers import ROOT

CURATED = ROOT / "advocate" / "importer" / "curated"
NO_WRITTEN_QUESTION = re.compile(r"written question|schriftliche\w* Frage|question\w* écrite", re.I)


def _file(name):
    return yaml.safe_load((CURATED / name).read_text(encoding="utf-8"))


def _holders():
    return _file("officeholders.yaml")["officeholders"]


def test_every_curated_entry_has_a_source_url_and_as_of():
    for entry in _holders():
        assert entry["source_url"].startswith("https://") and re.fullmatch(r"\d{4}-\d\d-\d\d", entry["as_of"])
    for entry in _file("government.yaml")["recipients"]:
        assert entry["sources"] and all(s.startswith("https://") for s in entry["sources"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", entry["as_of"])


def test_the_bundled_data_carries_the_offices():
    for entry in _holders():
        p = reps.show(entry["person_id"])
        assert p["office"] == entry["office"]
        assert p["office_title"] == entry["office_title"].get(p["language"], entry["office_title"]["en"])
        from advocate.opendata import store

        assert store.office_entry(p["id"], p["country"])["source_url"] == entry["source_url"]
    assert reps.show("de-1045434")["office_title"] == "Präsidentin des Deutschen Bundestages"
    assert reps.show("gb-467")["office_title"] == "Speaker of the House of Commons"


def test_entry_valid_until_comes_before_the_file_level_one():
    from advocate.opendata import store

    assert store.meta("us")["curated"]["valid_until"] == "2027-01-03"  # the Speaker's own entry
    assert store.meta("gb")["curated"]["valid_until"] == "2027-03-01"


def test_curated_data_warns_when_stale(cli, monkeypatch):
    monkeypatch.setenv("ADVOCATE_TODAY", "2027-03-01")
    r = cli("reps", "show", "de-gov-bmi")
    assert r.exit_code == 0
    assert "office-holders and ministries (curated) are past their valid-until date 2027-03-01" in r.stderr
    monkeypatch.setenv("ADVOCATE_TODAY", "2026-12-01")
    assert "curated" not in cli("reps", "show", "de-gov-bmi").stderr


def test_a_curated_id_missing_from_the_data_is_an_error():
    from advocate.errors import DataError
    from advocate.importer import curated

    with pytest.raises(DataError, match=r"gb-4514 .* is not in the GB data"):
        curated.merge("GB", {"people": [], "geo": {}}, strict=True)
    merged = curated.merge("GB", {"people": [], "geo": {}})  # a data update: the member has left, no office
    assert "gb-4514" in merged["meta"]["curated"]["missing"] and not merged["meta"]["curated"]["offices"]


@pytest.mark.parametrize("country", ["GB", "DE", "US", "FR"])
def test_reps_lookup_government_lists_the_ministries(cli, country):
    r = cli("reps", "lookup", "-c", country, "--government", "--json")
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)["representatives"]
    expected = [e["id"] for e in _file("government.yaml")["recipients"] if e["country"] == country]
    assert [p["id"] for p in found] == expected and expected
    assert all(p["chamber"] == "government" for p in found)


def test_a_ministry_without_post_or_form_is_listed_with_its_website(cli):
    r = cli("reps", "lookup", "-c", "GB", "--government")
    assert "Home Office" in r.stdout and "website: https://www.gov.uk/government/organisations/home-office" in r.stdout
    r = cli("reps", "show", "gb-gov-home-office")
    assert "greeting: Dear Sir or Madam," in r.stdout and "source: https://www.gov.uk/" in r.stdout


def test_write_to_a_ministry(cli):
    r = cli("write", "--to", "gb-gov-home-office", "--template", "protection", "--name", "Alex Doe",
            "--personal", "Mine.")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("To: Home Office (HM Government)\n") and "\nDear Sir or Madam,\n" in r.stdout


def test_write_says_why_a_presiding_officer_gets_the_pass_it_on_letter(cli):
    r = cli("write", "--to", "gb-467", "-t", "asylum", "--name", "Alex Doe", "--personal", "Mine.")
    assert r.exit_code == 0, r.output
    assert "Note: Sir Lindsay Hoyle is Speaker of the House of Commons, who serves the whole chamber" in r.stderr
    r = cli("write", "--to", "gb-4359", "-t", "asylum", "--name", "Alex Doe", "--personal", "Mine.")
    assert "serves the whole chamber" not in r.stderr


def _letters_for(person):
    from advocate.templates import letters as templates

    return sorted({lt.name for lt in templates.all_letters() if templates.suits(lt, person)})


def test_no_letter_to_a_listed_office_holder_asks_for_a_written_question(cli):
    checked = 0
    for entry in _holders():
        person = reps.show(entry["person_id"])
        for name in _letters_for(person):
            r = cli("write", "--to", person["id"], "-t", name, "--name", "Alex Doe", "--personal", "Mine.",
                    "-f", "json")  # fmt: skip
            assert r.exit_code == 0, (person["id"], name, r.output)
            doc = json.loads(r.stdout)[0]
            assert not NO_WRITTEN_QUESTION.search(doc["body"] + doc["subject"]), (person["id"], name)
            checked += 1
    assert checked >= 14
