"""The importer against the complete raw tables: every ZCTA, every PLZ (both levels), every
constituency and every circonscription is looked up and checked — not a sample."""

import csv
import json

import pytest
import yaml

from advocate.errors import DataError
from advocate.importer import parse_fr, parse_gb
from advocate.importer.build import build_from_dir, representatives_yaml
from advocate.lookup import people as reps
from advocate.opendata import store
from advocate.resources import DATA_DIR, bundled
from tests.helpers import need_raw


@pytest.fixture(scope="module")
def raw():
    return need_raw()


def test_counts_of_the_bundled_data():
    counts = {key: store.load(key)["meta"]["members"] for key in store.DATASETS}
    assert counts == {"us": 537, "gb": 650, "de": 630, "fr": 577, "intl": 5}


@pytest.mark.needs_raw_data
@pytest.mark.slow
def test_bundled_files_are_what_the_importer_builds_now(raw):
    built = build_from_dir(raw)
    for key, ds in built.items():
        assert json.loads((DATA_DIR / f"{key}.json").read_bytes()) == ds, f"{key}.json is stale: rebuild"
    assert bundled("representatives.yaml").read_text(encoding="utf-8") == representatives_yaml(built)


@pytest.mark.slow
def test_representatives_yaml_matches_the_compiled_data():
    """The reviewable YAML and the fast JSON must never disagree (no raw data needed)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(bundled("representatives.yaml").read_bytes(), Loader=loader)  # noqa: S506
    compiled = [p for key in store.DATASETS for p in json.loads((DATA_DIR / f"{key}.json").read_bytes())["people"]]
    assert doc["people"] == compiled
    assert doc["datasets"]["us"]["valid_until"] == "2027-01-03"
    for meta in doc["datasets"].values():
        assert meta["as_of"] and meta["licence"] and meta["credit"] and meta["sources"]


@pytest.mark.needs_raw_data
@pytest.mark.slow
def test_every_zcta(raw):
    expected: dict[str, set[str]] = {}
    with open(raw / "us" / "zccd.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            expected.setdefault(row["zcta"].zfill(5), set()).add(f"{row['state_abbr']}-{int(row['cd'])}")
    assert len(expected) == 33774
    house = {p["district"]: p for p in store.load("us")["people"] if p["chamber"] == "house"}
    for zcta, districts in expected.items():
        r = reps.lookup_us(zcta)
        assert {d["id"] for d in r.districts} == districts, zcta
        assert r.ambiguous == (len(districts) > 1)
        states = {d.split("-")[0] for d in districts}
        senators = [p for p in r.people if p["relation"] == "senator"]
        assert len(senators) == 2 * len(states - reps.TERRITORIES), zcta
        reps_found = {p["district"] for p in r.people if p["relation"] == "representative"}
        assert reps_found == {d for d in districts if d in house}, zcta


def _plz_by_level(raw):
    wks = json.loads((raw / "de" / "bundestag_wks.json").read_bytes())
    county_level: dict[str, set[str]] = {}
    community_level: dict[str, set[str]] = {}
    for state in wks["federalStates"]:
        for wk in state["constituencies"]:
            number = str(wk["number"]).zfill(3)
            for county in wk["counties"]:
                for plz in county.get("zipCodes") or []:
                    county_level.setdefault(plz, set()).add(number)
                for community in county.get("communities") or []:
                    for plz in community.get("zipCodes") or []:
                        community_level.setdefault(plz, set()).add(number)
    return county_level, community_level


@pytest.mark.needs_raw_data
def test_every_plz_at_both_levels(raw):
    county_level, community_level = _plz_by_level(raw)
    assert county_level and community_level
    everything = {
        p: county_level.get(p, set()) | community_level.get(p, set()) for p in {*county_level, *community_level}
    }
    assert len(everything) == 8071
    for plz, numbers in everything.items():
        r = reps.lookup_de(plz)
        assert {d["id"] for d in r.districts} == numbers, plz
        for p in r.people:
            assert p["district"] in numbers
    assert reps.lookup_de("10117").districts  # Berlin is county-level only
    assert "10117" not in community_level and "10117" in county_level


@pytest.mark.needs_raw_data
def test_de_membership_comes_from_the_email_list(raw):
    emails = json.loads((raw / "de" / "bundestag_emails.json").read_bytes())
    people = store.load("de")["people"]
    assert len(people) == len(emails) == 630
    by_address = {p["channels"]["email"]["address"]: p for p in people}
    assert set(by_address) == {e["email"] for e in emails.values()}
    unconfirmed = sorted(p["name"] for p in people if not p["channels"]["email"]["confirmed"])
    assert unconfirmed == ["Dr. Alexander Wolf", "Prof. Dr. Daniel Zerbin", "Sieghard Knodel"]
    assert sum(p["mandate"] == "direct" for p in people) > 200


@pytest.mark.needs_raw_data
def test_every_constituency(raw):
    with open(raw / "uk" / "mp_lookup.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 650
    for row in rows:
        (mp,) = reps.lookup_gb(row["pcon_name"]).people
        email = None if row["member_email"] == "No email found" else row["member_email"]
        assert (mp["channels"]["email"] or {}).get("address") == email, row["pcon_name"]
        assert mp["id"] == f"gb-{row['member_id']}"


@pytest.mark.needs_raw_data
def test_every_circonscription(raw):
    with open(raw / "fr" / "deputes-active-2026-03-09.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 577
    for row in rows:
        dept = row["departementCode"].upper()
        (d,) = reps.lookup_fr(department=dept, circo=int(row["circo"])).people
        assert d["id"] == f"fr-{row['id']}" and d["channels"]["email"]["address"] == row["mail"]
        if dept != "099":  # a code postal that is not in the postcode table gives the whole département
            ids = [p["id"] for p in reps.lookup_fr(department=dept).people]
            assert d["id"] in ids, dept


@pytest.mark.needs_raw_data
@pytest.mark.slow
def test_no_email_in_the_data_that_the_raw_files_do_not_hold(raw):
    text = "".join(p.read_text(encoding="utf-8") for p in raw.rglob("*") if p.suffix in (".csv", ".json", ".yaml"))
    for key in store.DATASETS:
        for p in store.load(key)["people"]:
            email = p["channels"]["email"]
            if email:
                assert email["address"] in text, (p["id"], email)


def test_no_portraits_are_shipped():
    for key in store.DATASETS:
        assert "picture" not in (DATA_DIR / f"{key}.json").read_text(encoding="utf-8")


def test_malformed_and_renamed_inputs_are_one_clear_error():
    with pytest.raises(DataError, match=r"uk/mp_lookup.csv: missing column\(s\) member_email"):
        parse_gb(b"pcon_name,pcon_code,member_id,full_title,display_as,party_text,email,lad_names,country_name\n", [])
    with pytest.raises(DataError, match="fr/deputes-active.csv: 0 members, outside the expected 560–577"):
        parse_fr(b"id,civ,nom,prenom,groupe,departementNom,departementCode,circo,mail\n", [], None)
    with pytest.raises(DataError, match="not UTF-8"):
        parse_gb(b"\xff\xfe\x00junk", [])


def test_every_french_postcode(raw):
    """Every code postal of the letter-tool table resolves to circonscriptions that exist in the FR data."""
    table = json.loads((raw / "fr" / "plz-circonscription.json").read_bytes())
    assert len(table) == 6321
    fr = store.load("fr")
    held = {p["district"] for p in fr["people"]}
    vacant = {v["district"] for v in fr["vacancies"]}
    overseas = {"ZA": "971", "ZB": "972", "ZC": "973", "ZD": "974", "ZM": "976", "ZN": "988", "ZP": "987",
                "ZS": "975", "ZW": "986", "ZX": "977"}  # fmt: skip
    touched = set()
    for postcode, codes in table.items():
        expected = set()
        for code in codes:
            dept = overseas.get(code[:2], code[:2]) if code[0] == "Z" else code[:2]
            expected.add(f"{dept}-{code[2:]}")
        found = store.table_get(fr["geo"]["postcodes"], postcode)
        assert set(found) == expected and len(found) == len(codes), postcode
        assert set(found) <= held | vacant, postcode
        r = reps.lookup_fr(postcode)  # the lookup a user makes: every circonscription it touches, with its deputy
        assert [d["id"] for d in r.districts] == found, postcode
        assert {p["district"] for p in r.people} == set(found) and r.ambiguous == (len(found) > 1), postcode
        touched |= set(found)
    # 565 of the 577 circonscriptions have a code postal (none for the 11 of the Français de l'étranger and
    # Wallis-et-Futuna); every one of them has a député in the bundled copy.
    assert len(touched) == 565 and touched <= held and not vacant
    assert held - touched == {f"099-{n:02d}" for n in range(1, 12)} | {"986-01"}
    assert store.table_get(fr["geo"]["postcodes"], "75015") == ["75-12", "75-13"]
    assert store.table_get(fr["geo"]["postcodes"], "20000") == ["2A-01", "2A-02"]
    assert store.table_get(fr["geo"]["postcodes"], "97150") == ["977-01"]
    assert store.table_get(fr["geo"]["postcodes"], "99999") == []
