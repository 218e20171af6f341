"""Vacant seats are seats, never people: France (a circonscription nobody holds), UK (member_id "Vacant"), US."""

import csv
import io

import pytest

from advocate.errors import DataError
from advocate.importer import parse_fr, parse_gb
from advocate.importer.fr import parse_fr_postcodes
from advocate.opendata import store
from tests.helpers import need_raw


def test_fr_vacant_circonscriptions_from_the_older_copy():
    raw = need_raw()
    parsed = parse_fr((raw / "fr" / "deputes-active.csv").read_bytes(), [], None)
    assert len(parsed["people"]) == 575
    assert [v["district"] for v in parsed["vacancies"]] == ["45-01", "74-03"]
    assert parsed["vacancies"][0]["district_name"] == "Loiret (1re circonscription)"
    assert all(v["country"] == "FR" and v["chamber"] == "assemblee" for v in parsed["vacancies"])
    held = {p["district"] for p in parsed["people"]}
    assert not held & {v["district"] for v in parsed["vacancies"]}
    assert 1 not in parsed["geo"]["departments"]["45"]["circos"]


def test_fr_bundled_copy_has_every_seat_filled():
    fr = store.load("fr")
    assert fr["meta"]["as_of"] == "2026-03-09" and fr["meta"]["members"] == 577
    assert fr["vacancies"] == [] and fr["meta"]["vacancies"] == 0


def test_fr_vacancies_with_the_postcode_table_too():
    raw = need_raw()
    parsed = parse_fr(
        (raw / "fr" / "deputes-active.csv").read_bytes(),
        [],
        None,
        (raw / "fr" / "plz-circonscription.json").read_bytes(),
    )
    assert [v["district"] for v in parsed["vacancies"]] == ["45-01", "74-03"]
    assert store.table_get(parsed["geo"]["postcodes"], "45000") == ["45-01", "45-02", "45-06"]


def test_fr_postcode_table_errors_name_the_entry():
    with pytest.raises(DataError, match=r"75015: 'QQ12' is not a circonscription code"):
        parse_fr_postcodes(b'{"75015": ["QQ12"]}')
    with pytest.raises(DataError, match=r"unknown overseas code 'ZQ01'"):
        parse_fr_postcodes(b'{"97133": ["ZQ01"]}')
    with pytest.raises(DataError, match="only 1 codes postaux"):
        parse_fr_postcodes(b'{"97133": ["ZX01"]}')


def _with_vacant_rows(raw_csv: bytes, seats: set[str]) -> bytes:
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row["pcon_name"] in seats:
            row.update(member_id="Vacant", full_title="Vacant", display_as="Vacant", party_text="", member_email="")
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def test_gb_two_vacant_rows_are_two_vacant_seats_and_no_person():
    raw = need_raw()
    seats = {"Holborn and St Pancras", "Runcorn and Helsby"}
    parsed = parse_gb(_with_vacant_rows((raw / "uk" / "mp_lookup.csv").read_bytes(), seats), [])
    assert len(parsed["people"]) == 648
    assert [v["district_name"] for v in parsed["vacancies"]] == sorted(seats)
    assert all(v["country"] == "GB" and v["chamber"] == "commons" and v["district"].startswith("E14")
               for v in parsed["vacancies"])  # fmt: skip
    assert not [p for p in parsed["people"] if "Vacant" in (p["id"] + p["name"]) or p["district_name"] in seats]
    # The seat still belongs to its council, so a lookup by council finds the vacant seat.
    assert any("Holborn and St Pancras" in c for c in parsed["geo"]["councils"].values())


def test_us_vacant_house_seats():
    us = store.load("us")
    assert [v["district"] for v in us["vacancies"]] == ["CA-14", "FL-20", "GA-13", "TX-23"]
    assert us["vacancies"][3]["district_name"] == "Texas's 23rd district"
    assert us["meta"]["vacancies"] == 4
    held = {p["district"] for p in us["people"]}
    assert not held & {v["district"] for v in us["vacancies"]}
    assert len(held - {None}) + len(us["vacancies"]) == 441  # 435 seats and 6 delegates


def test_us_changeover_is_data():
    meta = store.load("us")["meta"]
    change = meta["changeover"]
    assert (change["congress"], change["takes_effect"], meta["zip_congress"]) == (120, "2027-01-03", 119)
    assert list(change["states"]) == ["TX", "CA", "NC", "OH", "UT", "FL", "AL", "LA", "TN", "MO"]
    assert all(s["source"].startswith("https://") and s["name"] for s in change["states"].values())
    assert change["house_finder"] == "https://www.house.gov/representatives/find-your-representative"
    # 10,080 of the 33,774 bundled ZCTAs (30%; 9,040 without Missouri) lie at least partly in a changed state.
    table = store.table_items(store.load("us")["geo"]["zcta"])
    changed = [z for z, ds in table.items() if any(d.split("-")[0] in change["states"] for d in ds)]
    assert len(changed) == 10080
