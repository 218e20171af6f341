"""Vacant seats are seats, never people: France (a circonscription nobody holds), UK (member_id "Vacant"), US."""

import pytest

from advocate import store
from advocate.errors import DataError
from advocate.importer import parse_fr
from advocate.importer.fr import parse_fr_postcodes
from tests.conftest import need_raw


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
