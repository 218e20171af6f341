"""The 120th Congress: from the changeover date, while the ZIP table is for an earlier Congress, a ZIP in a state
whose map changed names the senators and no House member by ZIP (reps lookup, --json, write, batch)."""

import csv
import json

import pytest

from advocate.lookup import people as reps

AFTER, BEFORE = "2027-01-10", "2026-12-01"
FINDER = "https://www.house.gov/representatives/find-your-representative"
CRACKDOWN = ("--template", "crackdown")


@pytest.fixture
def after(monkeypatch):
    monkeypatch.setenv("ADVOCATE_TODAY", AFTER)


def names(doc, relation=None):
    return [p["name"] for p in doc["representatives"] if relation is None or p["relation"] == relation]


def test_acceptance_1_a_zip_in_a_changed_state_gives_the_senators_and_the_house_finder(cli, after):
    r = cli("reps", "lookup", "--country", "US", "--zip", "78701")
    assert r.exit_code == 0, r.output
    assert "John Cornyn" in r.stdout and "Ted Cruz" in r.stdout
    assert "Representative" not in r.stdout and "Doggett" not in r.stdout and "37th" not in r.stdout
    (line,) = [x for x in r.stdout.splitlines() if "map" in x]
    assert "district map of Texas changed for the 120th Congress" in line and FINDER in line and "--district N" in line

    doc = json.loads(cli("reps", "lookup", "--country", "US", "--zip", "78701", "--json").stdout)
    assert names(doc) == ["John Cornyn", "Ted Cruz"] and doc["districts"] == []
    change = doc["district_map_changed"]
    assert change["states"] == ["TX"] and change["congress"] == 120 and change["zip_congress"] == 119
    assert change["house_finder"] == FINDER and change["district_given"] is False

    r = cli("reps", "lookup", "--country", "US", "--zip", "78701", "--district", "10", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    tx10 = [p for p in reps.people("us") if p["district"] == "TX-10"]
    assert names(doc, "representative") == [tx10[0]["name"]] and names(doc, "senator") == ["John Cornyn", "Ted Cruz"]
    assert doc["districts"] == [{"id": "TX-10", "name": "Texas's 10th district"}]


def test_acceptance_1_an_unchanged_state_and_the_day_before_are_as_before(cli, monkeypatch):
    monkeypatch.setenv("ADVOCATE_TODAY", AFTER)
    after_ny = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "10001", "--json").stdout)
    assert after_ny["district_map_changed"] is None
    assert names(after_ny, "representative") == ["Daniel S. Goldman", "Jerrold Nadler"]
    monkeypatch.setenv("ADVOCATE_TODAY", BEFORE)
    before = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "78701", "--json").stdout)
    assert before["district_map_changed"] is None and names(before, "representative") == ["Lloyd Doggett"]
    assert [d["id"] for d in before["districts"]] == ["TX-37"]
    assert (
        after_ny["representatives"]
        == json.loads(cli("reps", "lookup", "-c", "US", "--zip", "10001", "--json").stdout)["representatives"]
    )
    r = cli("reps", "lookup", "-c", "US", "--zip", "78701", "--district", "10")
    assert r.exit_code == 1 and "--district 10 is not a district of ZIP 78701" in r.stderr


def test_the_rule_lifts_once_the_zip_table_is_for_the_new_congress(after, monkeypatch):
    from advocate.lookup.us import changed_states
    from advocate.opendata import store

    meta = dict(store.load("us")["meta"])
    assert changed_states(meta, store.today())["congress"] == 120
    meta["zip_congress"] = 120
    assert changed_states(meta, store.today()) is None


def test_a_district_the_member_data_does_not_have_is_one_line(cli, after):
    r = cli("reps", "lookup", "-c", "US", "--zip", "78701", "--district", "99")
    assert (
        r.exit_code == 1
        and r.stderr.startswith("Error: --district 99 is not a district of TX")
        and r.stderr.count("\n") == 1
    )


def test_write_asks_for_the_district_on_a_terminal_and_names_the_flag_in_a_script(cli, after, monkeypatch, tmp_path):
    r = cli("write", "-c", "US", "--zip", "78701", *CRACKDOWN, "--name", "Alex Doe")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    assert "district map of Texas changed" in r.stderr and FINDER in r.stderr and "--district N" in r.stderr
    monkeypatch.setattr("advocate.cli.common.interactive", lambda: True)
    r = cli("write", "-c", "US", "--zip", "78701", *CRACKDOWN, "--name", "Alex Doe", input="10\n" + "\n" * 6)
    assert r.exit_code == 0, r.output
    assert "The district map changed; your House district number" in r.stderr and FINDER in r.stderr
    tx10 = next(p for p in reps.people("us") if p["district"] == "TX-10")
    assert r.stdout.count("To: ") == 3 and f"Representative {tx10['name']}" in r.stdout


def test_acceptance_2_a_batch_row_without_a_district_is_an_errors_csv_row_naming_the_map_change(cli, after, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,country,zip,district\nAlex Doe,US,78701,\nSam Roe,US,78701,10\nKim Poe,US,10001,12\n")
    out = tmp_path / "out"
    r = cli("batch", str(path), *CRACKDOWN, "--out", str(out))
    assert r.exit_code == 1
    with (out / "errors.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["row"] == "2" and "district map of Texas changed" in row["reason"] and "district column" in row["reason"]
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as f:
        done = list(csv.DictReader(f))
    tx10 = next(p for p in reps.people("us") if p["district"] == "TX-10")
    assert {d["recipient_id"] for d in done if d["row"] == "3"} == {"us-C001056", "us-C001098", tx10["id"]}
    assert len([d for d in done if d["row"] == "4"]) == 3
