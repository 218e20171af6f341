# ruff: noqa: F811  (the fixtures imported from test_update are parameters here)
"""`data update` with the newer source formats, on loopback: the Census ZIP file (acceptance 3), a UK file with
vacant seats (acceptance 5) and France through data.gouv.fr's dataset API (acceptance 6)."""

import csv
import io
import json

import pytest

from advocate.opendata import store
from tests import rawfiles
from tests.test_update import answers, bundled, files, loopback_only, serve_gb, serve_us, server, update_fails  # noqa: F401

pytestmark = pytest.mark.slow  # loopback HTTP servers and dataset rebuilds: the full suite runs them

CENSUS_PATH = "/tab20_cd12020_zcta520_natl.txt"


# ---------------------------------------------------------------- acceptance 3: the Census relationship file


@pytest.fixture(scope="module")
def census(bundled):
    """A 120th-Congress Census file: the bundled table with 78701 redrawn into TX-10, and the rows the format
    has — Wyoming at large (5600), DC's delegate (1198), a ZZ row and a row without a ZCTA (both skipped)."""
    rows = rawfiles.census_rows(bundled["us"]["geo"]["zcta"], moved={"78701": ["TX-10"]})
    rows += [("56ZZ", "82001"), ("3612", "")]
    assert ("5600", "82001") in rows and ("1198", "20001") in rows
    return rawfiles.census_zcta_cd(rows, congress=120)


def census_args(server, files, body):
    args = serve_us(server, files, changed=False)
    server.routes[CENSUS_PATH] = body
    return [*args, "--source", f"us-zccd={server.url(CENSUS_PATH)}"]


def test_acceptance_3_the_census_file_installs_a_table_marked_with_its_congress(
    cli, server, files, census, monkeypatch
):
    monkeypatch.setenv("ADVOCATE_TODAY", "2027-01-10")
    before = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "78701", "--json").stdout)
    assert before["district_map_changed"]["states"] == ["TX"]  # the 119th table, after the changeover

    r = cli("data", "update", *census_args(server, files, census))
    assert r.exit_code == 0, r.output
    meta = store.load("us")["meta"]
    assert meta["zip_congress"] == 120 and store.origin("us") == "updated"
    (zccd,) = [s for s in meta["sources"] if s["name"] == "us-zccd"]
    assert zccd["congress"] == 120 and zccd["url"] == server.url(CENSUS_PATH)

    # The table is for the current Congress: the rule lifts, and 78701 follows the new map.
    after = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "78701", "--json").stdout)
    assert after["district_map_changed"] is None and [d["id"] for d in after["districts"]] == ["TX-10"]
    assert [p["district"] for p in after["representatives"] if p["relation"] == "representative"] == ["TX-10"]
    wy = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "82001", "--json").stdout)
    assert [d["id"] for d in wy["districts"]] == ["WY-0"]
    dc = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "20001", "--json").stdout)
    assert [p["name"] for p in dc["representatives"]] == ["Eleanor Holmes Norton"]


@pytest.mark.parametrize("fault", ["truncated", "wrong header"])
def test_acceptance_3_a_truncated_or_wrong_header_census_file_leaves_the_old_table(cli, server, files, census, fault):
    if fault == "truncated":
        body, message = census[: len(census) // 2 - 7], r"us-zccd:\d+: \d+ fields, the header has 17"
    else:
        body = census.replace(b"GEOID_CD120_20", b"GEOID_CD_20", 1)
        message = "no single GEOID_CD<congress>_20 and GEOID_ZCTA5_20 column"
    line = update_fails(cli, *census_args(server, files, body))
    assert line.startswith("Error: us: ") and __import__("re").search(message, line), line
    assert store.origin("us") == "bundled" and store.load("us")["meta"]["zip_congress"] == 119


# ---------------------------------------------------------------- acceptance 5: two vacant UK seats

VACANT = ("Holborn and St Pancras", "Runcorn and Helsby")


def with_vacant_rows(raw_csv, seats=VACANT):
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row["pcon_name"] in seats:
            row.update(member_id="Vacant", full_title="Vacant", display_as="Vacant", party_text="", member_email="")
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def test_acceptance_5_two_vacant_rows_are_two_vacant_seats_and_no_one_named_vacant(cli, server, files, tmp_path):
    r = cli("data", "update", *serve_gb(server, with_vacant_rows(files["gb-mps"])))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("gb: updated — 648 members")
    gb = store.load("gb")
    assert [v["district_name"] for v in gb["vacancies"]] == list(VACANT)
    assert not [p for p in gb["people"] if "vacant" in (p["id"] + p["name"]).lower()]
    r = cli("reps", "search", "Vacant")
    assert r.exit_code == 1

    r = cli("reps", "lookup", "-c", "GB", "--constituency", "holborn & st pancras")
    assert r.exit_code == 0, r.output
    assert "Holborn and St Pancras: the seat is vacant" in r.stdout and "Starmer" not in r.stdout
    doc = json.loads(cli("reps", "lookup", "-c", "GB", "--constituency", "Runcorn and Helsby", "--json").stdout)
    assert doc["representatives"] == [] and [v["district_name"] for v in doc["vacancies"]] == ["Runcorn and Helsby"]
    camden = json.loads(cli("reps", "lookup", "-c", "GB", "--council", "Camden", "--json").stdout)
    assert "Holborn and St Pancras" in [v["district_name"] for v in camden["vacancies"]]
    assert camden["representatives"]  # the council's other seats still have their MPs

    # write and batch: no one to write to for that seat; the Government is the pointer.
    r = cli("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "crackdown", "--name", "A B")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    assert "the seat is vacant, so there is no one to write to for that seat" in r.stderr
    assert "advocate reps lookup --country GB --government" in r.stderr
    path = tmp_path / "a.csv"
    path.write_text("name,country,constituency\nSam Roe,GB,Holborn and St Pancras\nKim Poe,GB,Bath\n")
    r = cli("batch", str(path), "-t", "crackdown", "--out", str(tmp_path / "out"))
    assert r.exit_code == 1
    with (tmp_path / "out" / "errors.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["row"] == "2" and "no one to write to for that seat" in row["reason"] and "--government" in row["reason"]


def test_a_vacant_us_seat_leaves_the_senators_and_says_so(cli):
    r = cli("write", "-c", "US", "--state", "CA", "--district", "14", "-t", "crackdown", "--name", "A B")
    assert r.exit_code == 0, r.output
    assert "California's 14th district: the seat is vacant, so there is no one to write to for that seat" in r.stderr
    assert r.stdout.count("To: Senator ") == 2 and "Representative" not in r.stdout


# ---------------------------------------------------------------- acceptance 6: France through data.gouv.fr

API_PATH = "/api/1/datasets/deputes-actifs-de-lassemblee-nationale-informations-et-statistiques/"


@pytest.fixture(scope="module")
def fr_files():
    fr = rawfiles.bundled("fr")
    people = [p for p in fr["people"] if p["district"] != "75-13"]
    newcomer = rawfiles.newcomer(next(p for p in fr["people"] if p["district"] == "75-13"), 1)
    newcomer["id"] = "fr-PA999001"
    return {
        "csv": rawfiles.fr_deputes(people + [newcomer], fr["geo"]["departments"]),
        "old-csv": rawfiles.fr_deputes(fr["people"], fr["geo"]["departments"]),
        "postcodes": rawfiles.fr_postcodes(fr["geo"]["postcodes"]),
    }


def serve_fr(server, fr_files, csv_body=None, api=None):
    """The fake dataset API (two CSV resources, the newer one wins), the CSVs and the postcode table."""
    server.routes["/r/20260309-063001/deputes-active.csv"] = fr_files["old-csv"]
    server.routes["/r/20261129-063001/deputes-active.csv"] = csv_body or fr_files["csv"]
    server.routes["/plz-circonscription.json"] = fr_files["postcodes"]
    resources = [
        {"title": "deputes-active.csv", "format": "csv", "url": server.url("/r/20260309-063001/deputes-active.csv"),
         "last_modified": "2026-03-09T06:30:01+00:00"},
        {"title": "deputes-active.csv", "format": "csv", "url": server.url("/r/20261129-063001/deputes-active.csv"),
         "last_modified": "2026-11-29T06:30:01+00:00"},
        {"title": "groupes-active.csv", "format": "csv", "url": server.url("/r/20261130-063001/groupes-active.csv"),
         "last_modified": "2026-11-30T06:30:01+00:00"},
    ]  # fmt: skip
    server.routes[API_PATH] = api if api is not None else json.dumps({"resources": resources}).encode()
    return ["--source", f"fr-deputes={server.url(API_PATH)}",
            "--source", f"fr-postcodes={server.url('/plz-circonscription.json')}"]  # fmt: skip


def test_acceptance_6_fr_update_resolves_the_newest_csv_through_the_dataset_api(cli, server, fr_files):
    r = cli("data", "update", *serve_fr(server, fr_files))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "fr: updated — 577 members, as of 2026-11-24; 1 left, 1 joined"
    assert server.hits["/r/20261129-063001/deputes-active.csv"] == 1
    assert server.hits["/r/20260309-063001/deputes-active.csv"] == 0
    meta = store.load("fr")["meta"]
    (src,) = [s for s in meta["sources"] if s["name"] == "fr-deputes"]
    assert src["url"] == server.url("/r/20261129-063001/deputes-active.csv")
    doc = json.loads(cli("reps", "lookup", "-c", "FR", "--postcode", "75015", "--json").stdout)
    assert [p["district"] for p in doc["representatives"]] == ["75-12", "75-13"]
    assert "Alex Newmember1" in [p["name"] for p in doc["representatives"]]
    assert all(p["as_of"] == "2026-11-24" for p in doc["representatives"]) and doc["as_of"] == "2026-11-24"


@pytest.mark.parametrize("fault", ["no csv in the api", "a column renamed", "too few deputies"])
def test_acceptance_6_a_bad_fr_answer_keeps_the_old_data(cli, server, fr_files, fault):
    if fault == "no csv in the api":
        args = serve_fr(server, fr_files, api=b'{"resources": []}')
        expected = "Error: fr: fr-deputes: the data.gouv.fr dataset API: no CSV resource named deputes-active"
    elif fault == "a column renamed":
        args = serve_fr(server, fr_files, csv_body=fr_files["csv"].replace(b",mail,", b",email,", 1))
        expected = "Error: fr: fr-deputes: missing column(s) mail"
    else:
        args = serve_fr(server, fr_files, csv_body=b"\n".join(fr_files["csv"].split(b"\n")[:400]) + b"\n")
        expected = "Error: fr: fr-deputes: 399 members, outside the expected 560–577"
    line = update_fails(cli, *args)
    assert line.startswith(expected), line
    assert store.origin("fr") == "bundled"


def test_without_a_source_url_fr_goes_through_the_dataset_api_of_sources_yaml(server, fr_files, tmp_path):
    from advocate.importer.build import load_sources
    from advocate.opendata import update

    spec = dict(load_sources()["fr"]["files"]["fr-deputes"])
    assert spec["dataset_api"].startswith("https://www.data.gouv.fr/api/1/datasets/")
    serve_fr(server, fr_files)
    spec["dataset_api"] = server.url(API_PATH)  # the upstream API, here on loopback
    with update.make_session(0) as session:
        body, url = update._fetch(session, "fr-deputes", spec["url"], spec, tmp_path, update.Settings(), None, True)
    assert url == server.url("/r/20261129-063001/deputes-active.csv") and body == fr_files["csv"]
    assert server.hits[API_PATH] == 1
