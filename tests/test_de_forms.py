"""German forms of address from data: gender (genders.json), titles and particles (MdB-Stammdaten.zip)."""

import io
import json
import zipfile

import pytest

from advocate.errors import DataError
from advocate.importer.de import join, parse_genders, parse_stammdaten, split_name
from advocate.opendata import store
from tests.helpers import need_raw

PARTICLES = {
    "Beatrix": "von Storch",
    "Konstantin": "von Notz",
    "Jan": "van Aken",
    "Sascha": "van Beek",
    "Christoph": "de Vries",
    "Catarina": "dos Santos-Wintz",
    "Ulrich": "von Zons",
    "Christian": "Freiherr von Stetten",  # PRAEFIX "von" and ADEL "Frhr."
}


def _de():
    return store.load("de")["people"]


def test_every_mdb_has_a_gender_from_the_data():
    people = _de()
    assert len(people) == 630
    counts = {g: sum(p["gender"] == g for p in people) for g in ("M", "F", "D")}
    assert counts == {"M": 424, "F": 205, "D": 1}
    (d,) = [p for p in people if p["gender"] == "D"]
    assert d["name"] == "Lisa Schubert"


def test_particles_belong_to_the_surname():
    holders = [p for p in _de() if p["family_name"] in PARTICLES.values()]
    assert len(holders) == 8
    for p in holders:
        assert PARTICLES[p["given_name"]] == p["family_name"], p["name"]
        assert p["name"].endswith(f"{p['given_name']} {p['family_name']}")
    notz = next(p for p in holders if p["family_name"] == "von Notz")
    assert (notz["name"], notz["honorific"], notz["gender"]) == ("Dr. Konstantin von Notz", "Dr.", "M")


def test_titles_and_no_double_spaces():
    people = _de()
    titled = {p["honorific"]: 0 for p in people}
    for p in people:
        titled[p["honorific"]] += 1
        for field in ("name", "given_name", "family_name"):
            assert "  " not in p[field] and p[field] == p[field].strip(), (p["id"], field)
        assert "(" not in p["family_name"], p["name"]  # "Brand (Fulda)": the place suffix is not the name
    assert titled == {None: 525, "Dr.": 93, "Professor": 12}
    by_name = {p["name"]: p for p in people}
    assert by_name["Prof. Dr. Hendrik Streeck"]["honorific"] == "Professor"
    assert by_name["Prof. Dr. Reza Asghari"]["family_name"] == "Asghari"  # raw "Asghari, Prof. Dr.  Reza"
    assert by_name["Dr. jur. Maria-Lena Weiss"]["honorific"] == "Dr."
    assert by_name["Michael Brand"]["family_name"] == "Brand"


def test_the_join_by_surname_and_first_given_name():
    raw = need_raw()
    emails = json.loads((raw / "de" / "bundestag_emails.json").read_bytes())
    matched = join(emails, parse_stammdaten((raw / "de" / "MdB-Stammdaten.zip").read_bytes()))
    assert len(matched) == 625
    assert sorted(emails[k]["name"] for k in emails if k not in matched) == [
        "Breilmann, Michael",
        "Glaser, Stefan",
        "Mandrella, David",
        "Naser, Christoph",
        "Zschau, Katrin",
    ]  # fmt: skip  (successors after the export of 2025-09-30)


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("Notz, Dr. Konstantin von", ("Dr.", "Konstantin", "von", "Notz")),
        ("Stetten, Christian Freiherr von", ("", "Christian", "Freiherr von", "Stetten")),
        ("Kaufmann, Prof. Dr.-Ing. habil. Michael", ("Prof. Dr.-Ing. habil.", "Michael", "", "Kaufmann")),
        ("Asghari, Prof. Dr.  Reza", ("Prof. Dr.", "Reza", "", "Asghari")),
        ("Brand (Fulda), Michael", ("", "Michael", "", "Brand")),
        ("Baerbock, Annalena (ausgeschieden)", ("", "Annalena", "", "Baerbock")),
    ],
)
def test_split_name(raw, parts):
    assert split_name(raw) == parts


def test_bad_inputs_are_one_clear_error():
    with pytest.raises(DataError, match=r"de/bundestag_genders.json: 1: gender 'x', expected one of w, m, d"):
        parse_genders(b'{"1": {"name": "A, B", "gender": "x"}}')
    with pytest.raises(DataError, match="de/MdB-Stammdaten.zip: not a zip archive"):
        parse_stammdaten(b"<html>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("MDB_STAMMDATEN.XML", "<DOCUMENT><MDB>")
    with pytest.raises(DataError, match="not valid XML"):
        parse_stammdaten(out.getvalue())


def test_an_entity_declaration_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("MDB_STAMMDATEN.XML", '<!DOCTYPE d [<!ENTITY a "aaaa">]><DOCUMENT>&a;</DOCUMENT>')
    with pytest.raises(DataError, match="declares entities"):
        parse_stammdaten(out.getvalue())
