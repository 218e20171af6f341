"""Two pure parsers the update code calls: the Census ZCTA ↔ district file, and data.gouv.fr's dataset API."""

import csv
import json

import pytest

from advocate.errors import DataError
from advocate.importer.fr import newest_csv_url
from advocate.importer.us import STATE_FIPS, parse_census_zcta_cd, parse_zip_table
from advocate.opendata import store
from tests.helpers import need_raw

HEADER = (
    "OID_CD119_20|GEOID_CD119_20|NAMELSAD_CD119_20|AREALAND_CD119_20|AREAWATER_CD119_20|MTFCC_CD119_20|"
    "FUNCSTAT_CD119_20|OID_ZCTA5_20|GEOID_ZCTA5_20|NAMELSAD_ZCTA5_20|AREALAND_ZCTA5_20|AREAWATER_ZCTA5_20|"
    "MTFCC_ZCTA5_20|CLASSFP_ZCTA5_20|FUNCSTAT_ZCTA5_20|AREALAND_PART|AREAWATER_PART"
)


def _row(geoid, zcta, name="Congressional District"):
    zcols = [f"22{zcta}", zcta, f"ZCTA5 {zcta}", "1000", "0", "G6350", "B5", "S"] if zcta else [""] * 8
    return "|".join([f"20{geoid}", geoid, name, "1000", "0", "G5200", "N", *zcols, "500", "0"])


def census(rows, header=HEADER):
    return ("\ufeff" + header + "\n" + "".join(_row(*r) + "\n" for r in rows)).encode("utf-8")


FIXTURE = [
    ("0101", "36502"),
    ("0101", "35004"),
    ("0107", "35004"),  # a ZCTA in two districts
    ("5600", "82001"),  # Wyoming at large
    ("1198", "20001"),  # DC's delegate
    ("7298", "00601"),  # Puerto Rico's resident commissioner
    ("09ZZ", "06001"),  # no district defined: skipped
    ("3612", ""),  # no ZCTA: skipped
]


def test_census_fixture_gives_the_us_zip_table_and_its_congress():
    table, congress = parse_census_zcta_cd(census(FIXTURE), minimum=1)
    assert congress == 119
    assert table == {
        "00601": ["PR-0"],
        "20001": ["DC-0"],
        "35004": ["AL-1", "AL-7"],
        "36502": ["AL-1"],
        "82001": ["WY-0"],
    }


def test_the_congress_comes_from_the_header():
    header = HEADER.replace("CD119", "CD120")
    _, congress = parse_census_zcta_cd(census(FIXTURE, header), minimum=1)
    assert congress == 120


def test_the_whole_bundled_table_round_trips_through_the_census_format():
    us = store.load("us")
    assert us["meta"]["zip_congress"] == 119
    fips = {abbr: code for code, abbr in STATE_FIPS.items()}
    rows = []
    for zcta, districts in store.table_items(us["geo"]["zcta"]).items():
        for d in districts:
            state, number = d.rsplit("-", 1)
            at_large_delegate = state in ("DC", "PR") and number == "0"
            rows.append((f"{fips[state]}{98 if at_large_delegate else int(number):02d}", zcta))
    table, congress = parse_zip_table(census(rows))
    assert congress == 119 and table == store.table_items(us["geo"]["zcta"])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"state_fips|zcta|cd\n01|35004|1\n", "no single GEOID_CD<congress>_20 and GEOID_ZCTA5_20 column"),
        (census(FIXTURE)[:-30], r":9: \d+ fields, the header has 17"),  # cut off mid-line
        (census([("0101", "35004")]), "only 1 ZCTAs, expected at least 30,000"),
        (census([("9901", "35004")]), r":2: district '9901'"),
        (b"\xff\xfe" + HEADER.encode(), "not UTF-8"),
    ],
)
def test_a_wrong_or_truncated_census_file_is_one_clear_error(raw, message):
    with pytest.raises(DataError, match=message):
        parse_census_zcta_cd(raw)


def _resource(url, modified, fmt="csv", title=None):
    return {"id": "x", "title": title or url.rsplit("/", 1)[-1], "format": fmt, "url": url, "last_modified": modified}


BASE = "https://static.data.gouv.fr/resources/deputes-actifs-de-lassemblee-nationale-informations-et-statistiques"


def test_newest_csv_resource_of_the_datan_dataset():
    answer = {
        "id": "5f6b",
        "slug": "deputes-actifs-de-lassemblee-nationale-informations-et-statistiques",
        "resources": [
            _resource(f"{BASE}/20260118-063755/deputes-active.csv", "2026-01-18T06:37:55.000000+00:00"),
            _resource(f"{BASE}/20261129-063001/deputes-active.csv", "2026-11-29T06:30:01.123000+00:00"),
            _resource(f"{BASE}/20261130-063001/groupes-active.csv", "2026-11-30T06:30:01+00:00"),
            _resource(f"{BASE}/20261130-063001/deputes-active.json", "2026-11-30T06:30:01+00:00", fmt="json"),
        ],
    }
    assert newest_csv_url(json.dumps(answer).encode()) == f"{BASE}/20261129-063001/deputes-active.csv"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (b"<html>", "not valid JSON"),
        (b'{"message": "Not found"}', "no 'resources' list"),
        (json.dumps({"resources": [_resource(f"{BASE}/1/groupes-active.csv", "2026")]}).encode(), "no CSV resource"),
    ],
)
def test_a_bad_api_answer_is_one_clear_error(answer, message):
    with pytest.raises(DataError, match=message):
        newest_csv_url(answer)


def test_state_fips_agree_with_zccd():
    with open(need_raw() / "us" / "zccd.csv", newline="", encoding="utf-8") as f:
        pairs = {(r["state_fips"], r["state_abbr"]) for r in csv.DictReader(f)}
    assert len(pairs) == 52 and all(STATE_FIPS[code] == abbr for code, abbr in pairs)
