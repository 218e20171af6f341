"""The lookup core, without the CLI: the issue's examples and every error."""

import json

import pytest

from advocate.errors import InputProblem, LookupFailed
from advocate.lookup import people as reps


def names(result, relation=None):
    return [p["name"] for p in result.people if relation is None or p["relation"] == relation]


def test_us_zip_spanning_two_districts_is_ambiguous():
    r = reps.lookup_us("10001")
    assert names(r, "senator") == ["Charles E. Schumer", "Kirsten E. Gillibrand"]
    assert names(r, "representative") == ["Daniel S. Goldman", "Jerrold Nadler"]
    assert r.ambiguous and [d["id"] for d in r.districts] == ["NY-10", "NY-12"]
    assert r.as_json()["ambiguous"] is True


def test_us_district_narrows_and_zip_plus_four_is_accepted():
    r = reps.lookup_us("10001-1234", district=12)
    assert names(r, "representative") == ["Jerrold Nadler"]
    assert len(names(r, "senator")) == 2 and not r.ambiguous


def test_us_dc_has_a_delegate_and_no_senators():
    r = reps.lookup_us("20001")
    assert names(r) == ["Eleanor Holmes Norton"]
    assert r.people[0]["role"] == "Delegate"


def test_us_state_alone_gives_senators_and_districts():
    r = reps.lookup_us(state="ny")
    assert names(r) == ["Charles E. Schumer", "Kirsten E. Gillibrand"]
    assert len(r.districts) == 26


def test_us_zip_across_two_states_gives_both_states_senators():
    r = reps.lookup_us("30165")
    assert {p["state"] for p in r.people if p["relation"] == "senator"} == {"AL", "GA"}
    assert any("spans" in n for n in r.notes)
    assert {p["state"] for p in reps.lookup_us("30165", state="GA").people} == {"GA"}


def test_us_vacant_district_is_noted():
    r = reps.lookup_us(state="CA", district=14)
    assert names(r, "representative") == []
    assert r.notes[0].startswith("California's 14th district: the seat is vacant (CA-14")
    assert [v["district"] for v in r.vacancies] == ["CA-14"]


@pytest.mark.parametrize(
    ("args", "error", "text"),
    [
        (("00000",), LookupFailed, "ZIP 00000 is not in"),
        (("1000",), InputProblem, "not a US ZIP code: '1000'"),
        (("abcde",), InputProblem, "not a US ZIP code"),
        (("10001", 7), LookupFailed, "--district 7 is not a district of ZIP 10001 (it covers NY-10, NY-12)"),
        ((None, None, "XX"), LookupFailed, "unknown US state 'XX'"),
        ((None,), InputProblem, "give --zip"),
    ],
)
def test_us_errors_say_what_and_what_to_try(args, error, text):
    with pytest.raises(error, match=None) as caught:
        reps.lookup_us(*args)
    assert text in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["holborn & st pancras", "Holborn and St. Pancras", "HOLBORN AND ST PANCRAS"])
def test_gb_constituency_is_forgiving(name):
    (mp,) = reps.lookup_gb(name).people
    assert mp["name"] == "Sir Keir Starmer"
    assert mp["channels"]["email"] == {"address": "keir.starmer.mp@parliament.uk", "confirmed": True}


def test_gb_accents_do_not_matter():
    assert reps.lookup_gb("Ynys Mon").people[0]["district_name"] == "Ynys Môn"


def test_gb_miss_suggests_the_closest_names():
    with pytest.raises(LookupFailed, match="did you mean: Holborn and St Pancras"):
        reps.lookup_gb("Holborn and St Pancreas")


def test_gb_council_gives_every_overlapping_constituency():
    r = reps.lookup_gb(council="camden")
    assert {p["name"] for p in r.people} >= {"Sir Keir Starmer", "Tulip Siddiq"}
    assert r.ambiguous


def test_gb_mp_without_email_has_none():
    (mp,) = reps.lookup_gb("Preston").people
    assert mp["channels"]["email"] is None
    assert mp["channels"]["postal"][-2:] == ["House of Commons", "London SW1A 0AA"]


def test_de_berlin_mitte():
    r = reps.lookup_de("10117")
    assert r.districts[0]["name"] == "Wahlkreis 074 Berlin-Mitte"
    assert r.people[0]["relation"] == "direct"
    assert all(p["channels"]["email"]["address"].endswith("@bundestag.de") for p in r.people)
    assert r.also and all(p["state"] == "Berlin" and p["mandate"] == "list" for p in r.also)


def test_de_munich_postcode_lists_two_wahlkreise_and_narrows():
    r = reps.lookup_de("80331")
    assert len(r.districts) == 2 and r.ambiguous
    one = reps.lookup_de("80331", wahlkreis=int(r.districts[0]["id"]))
    assert not one.ambiguous


@pytest.mark.parametrize(
    ("plz", "wk", "text"),
    [("1011", None, "not a German postcode"), ("00000", None, "PLZ 00000 is not in"), ("10117", 1, "--wahlkreis 1")],
)
def test_de_errors(plz, wk, text):
    with pytest.raises((InputProblem, LookupFailed)) as caught:
        reps.lookup_de(plz, wk)
    assert text in str(caught.value)


def test_fr_paris_postcode_names_the_deputy_of_its_circonscription():
    r = reps.lookup_fr("75007")  # the 7th arrondissement touches the 2nd and the 12th circonscription
    assert [d["id"] for d in r.districts] == ["75-02", "75-12"] and [p["district"] for p in r.people] == [
        "75-02",
        "75-12",
    ]
    (one,) = reps.lookup_fr("75007", circo=2).people
    assert one["district"] == "75-02" and one["channels"]["email"]["address"].endswith("@assemblee-nationale.fr")
    (only,) = reps.lookup_fr("75005").people  # one circonscription: its deputy, not the département's 18
    assert only["district"] == "75-02"


def test_fr_postcode_in_two_circonscriptions_lists_both_with_names():
    r = reps.lookup_fr("75015")
    assert r.ambiguous and [d["id"] for d in r.districts] == ["75-12", "75-13"]
    assert [p["district"] for p in r.people] == ["75-12", "75-13"] and all(p["name"] for p in r.people)
    (one,) = reps.lookup_fr("75015", circo=13).people
    assert one["district"] == "75-13"
    with pytest.raises(LookupFailed, match=r"--circo 2 is not a circonscription of code postal 75015.*known: 12, 13"):
        reps.lookup_fr("75015", circo=2)


def test_fr_postcode_not_in_the_table_falls_back_to_the_departement():
    r = reps.lookup_fr("75000")  # a code postal that is not in the table (Paris has 75001–75020, 75116)
    assert len(r.districts) == 18 and all(d["name"].startswith("Paris") for d in r.districts)
    assert any("75000 is not in the code postal" in n for n in r.notes)
    (one,) = reps.lookup_fr("75000", circo=2).people
    assert one["district"] == "75-02"


@pytest.mark.parametrize(
    ("postcode", "dept"),
    [("20000", "2A"), ("20167", "2A"), ("20200", "2B"), ("20600", "2B"), ("97100", "971"), ("97600", "976"),
     ("01000", "01"), ("98800", "988"), ("97133", "977")],
)  # fmt: skip
def test_fr_postcode_to_department(postcode, dept):
    assert reps.department_for_postcode(postcode) == dept


def test_fr_department_codes_are_forgiving():
    assert reps.lookup_fr(department="2a").districts[0]["id"].startswith("2A-")
    assert len(reps.lookup_fr(department="99").people) == 11  # French residents abroad
    assert reps.lookup_fr(department="1").people[0]["state"] == "01"


def test_fr_errors():
    with pytest.raises(LookupFailed, match="--circo 40"):
        reps.lookup_fr("75007", circo=40)
    with pytest.raises(LookupFailed, match="no député in this data for département 'ZZ'"):
        reps.lookup_fr(department="ZZ")
    with pytest.raises(InputProblem, match="not a French postcode"):
        reps.lookup_fr("7500")


def test_intl_recipients_hold_only_the_channels_of_the_file():
    by_id = {p["id"]: p for p in reps.lookup_intl().people}
    assert set(by_id) == {"icc-otp", "un-ie-sogi", "ru-embassy-us", "ru-embassy-uk", "ru-embassy-de"}
    assert by_id["icc-otp"]["channels"]["email"] is None
    assert by_id["icc-otp"]["channels"]["postal"][-1] == "The Netherlands"
    assert by_id["un-ie-sogi"]["channels"]["email"]["address"] == "urgent-action@ohchr.org"
    assert by_id["ru-embassy-de"]["language"] == "de"


def test_show_and_search():
    assert reps.show("US-N000002")["name"] == "Jerrold Nadler"
    assert reps.show("icc-otp")["country"] == "INTL"
    with pytest.raises(LookupFailed, match="no one with id 'us-X'"):
        reps.show("us-X")
    assert [p["id"] for p in reps.search("steinmuller")] == [p["id"] for p in reps.search("Steinmüller")]
    assert {p["country"] for p in reps.search("smith")} >= {"US", "GB"}
    assert all(p["country"] == "GB" for p in reps.search("smith", "UK"))


def test_unknown_country():
    from advocate.lookup import lookup

    with pytest.raises(LookupFailed, match="unknown country 'XY'; use one of US, GB"):
        lookup("XY")


def test_option_of_another_country_is_named():
    from advocate.lookup import lookup

    with pytest.raises(InputProblem, match="--zip does not apply to --country DE"):
        lookup("DE", zip_code="10001", postcode="10117")


def test_lookup_and_show_print_the_data_date_once_and_json_carries_it_per_person(cli):
    r = cli("reps", "lookup", "-c", "GB", "--constituency", "Holborn and St Pancras")
    assert r.exit_code == 0 and r.stdout.count("data as of 2026-06-27") == 1
    r = cli("reps", "show", "gb-4514")
    assert r.exit_code == 0 and r.stdout.count("data as of 2026-06-27") == 1 and r.stdout.endswith("2026-06-27\n")
    assert json.loads(cli("reps", "show", "us-N000002", "--json").stdout)["as_of"] == "2026-06-15"
    doc = json.loads(cli("reps", "lookup", "-c", "DE", "--postcode", "80331", "--json").stdout)
    assert {p["as_of"] for p in doc["representatives"] + doc["also_from_state"]} == {"2026-09-27"}
