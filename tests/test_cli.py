"""The CLI as a user meets it: output streams, exit codes, JSON schema, help."""

import json
import subprocess
import sys

import pytest

from advocate import __version__


def test_version(cli):
    r = cli("--version")
    assert r.exit_code == 0 and r.stdout == f"advocate {__version__}\n"


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "advocate", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"advocate {__version__}"


def test_lookup_json_acceptance_example(cli):
    r = cli("reps", "lookup", "--country", "US", "--zip", "10001", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["ambiguous"] is True
    assert [p["name"] for p in doc["representatives"]] == [
        "Charles E. Schumer",
        "Kirsten E. Gillibrand",
        "Daniel S. Goldman",
        "Jerrold Nadler",
    ]
    narrowed = json.loads(
        cli("reps", "lookup", "--country", "US", "--zip", "10001", "--district", "12", "--json").stdout
    )
    assert [p["name"] for p in narrowed["representatives"] if p["relation"] == "representative"] == ["Jerrold Nadler"]
    dc = json.loads(cli("reps", "lookup", "-c", "US", "--zip", "20001", "--json").stdout)
    assert [p["name"] for p in dc["representatives"]] == ["Eleanor Holmes Norton"]


PERSON_KEYS = {
    "id", "name", "given_name", "family_name", "country", "body", "chamber", "role", "language", "gender", "honorific",
    "display_name", "state", "district", "district_name", "party", "mandate", "channels", "notes", "relation", "as_of",
    "office", "office_title",
}  # fmt: skip
CHANNEL_KEYS = {"email", "contact_form", "website", "phone", "postal", "offices"}


@pytest.mark.parametrize(
    "args",
    [
        ("-c", "US", "--zip", "10001"),
        ("-c", "GB", "--constituency", "holborn & st pancras"),
        ("-c", "UK", "--council", "Camden"),
        ("-c", "DE", "--postcode", "10117"),
        ("-c", "FR", "--postcode", "75007"),
        ("-c", "FR", "--department", "2A", "--circo", "1"),
        ("-c", "INTL",),
    ],
)  # fmt: skip
def test_json_schema_is_stable(cli, args):
    r = cli("reps", "lookup", *args, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) == {"country", "query", "as_of", "ambiguous", "districts", "representatives", "also_from_state",
                        "vacancies", "district_map_changed", "notes"}  # fmt: skip
    assert doc["as_of"] and doc["vacancies"] == [] and doc["district_map_changed"] is None
    assert doc["representatives"]
    for p in doc["representatives"] + doc["also_from_state"]:
        assert set(p) == PERSON_KEYS
        assert set(p["channels"]) == CHANNEL_KEYS
        if p["channels"]["email"]:
            assert set(p["channels"]["email"]) <= {"address", "confirmed", "note"}


def test_gb_text_output(cli):
    r = cli("reps", "lookup", "--country", "GB", "--constituency", "holborn & st pancras")
    assert r.exit_code == 0
    assert "Sir Keir Starmer" in r.stdout and "keir.starmer.mp@parliament.uk" in r.stdout
    assert r.stderr == ""


def test_de_text_output_flags_unconfirmed_address(cli):
    r = cli("reps", "show", "de-1045460")
    assert "sieghard.knodel@bundestag.de (not publicly confirmed" in r.stdout
    doc = json.loads(cli("reps", "show", "de-1045460", "--json").stdout)
    assert doc["channels"]["email"]["confirmed"] is False


def test_de_two_wahlkreise(cli):
    r = cli("reps", "lookup", "-c", "DE", "--postcode", "80331")
    assert "More than one district matches" in r.stdout and "--wahlkreis N" in r.stdout


def test_fr_is_stale_and_says_so_on_stderr_only(cli):
    r = cli("reps", "lookup", "-c", "FR", "--postcode", "75007", "--json")
    assert r.exit_code == 0
    json.loads(r.stdout)  # stdout stays clean JSON
    assert r.stderr.count("\n") == 1 and "Assemblée nationale data is 260 days old" in r.stderr


def test_us_becomes_stale_after_valid_until(cli, monkeypatch):
    monkeypatch.setenv("ADVOCATE_TODAY", "2027-01-03")
    r = cli("reps", "lookup", "-c", "US", "--zip", "10001", "--json")
    assert r.exit_code == 0 and "past its valid-until date 2027-01-03" in r.stderr
    json.loads(r.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reps", "lookup", "-c", "US", "--zip", "00000"), "Error: ZIP 00000 is not in"),
        (("reps", "lookup", "-c", "US", "--zip", "12"), "Error: not a US ZIP code: '12'"),
        (("reps", "lookup", "-c", "US", "--zip", "10001", "--district", "3"), "Error: --district 3 is not"),
        (("reps", "lookup", "-c", "XX", "--zip", "10001"), "Error: unknown country 'XX'"),
        (("reps", "lookup", "-c", "GB", "--constituency", "Nowhere"), "Error: no UK constituency called 'Nowhere'"),
        (("reps", "lookup", "-c", "DE", "--postcode", "99999"), "Error: PLZ 99999 is not in"),
        (("reps", "lookup", "-c", "FR", "--postcode", "abc"), "Error: not a French postcode"),
        (("reps", "lookup", "-c", "DE", "--zip", "10117"), "Error: --zip does not apply to --country DE"),
        (("reps", "show", "nobody"), "Error: no one with id 'nobody'"),
        (("reps", "list", "-c", "ZZ"), "Error: unknown country 'ZZ'"),
    ],
)
def test_errors_are_one_line_exit_1(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1, r.stderr


def test_usage_errors_exit_2(cli):
    assert cli("reps", "lookup", "--zip", "10001").exit_code == 2  # --country missing
    assert cli("reps", "lookup", "-c", "US", "--district", "x").exit_code == 2


def test_search_and_list(cli):
    r = cli("reps", "search", "nadler")
    assert r.exit_code == 0 and r.stdout.startswith("us-N000002\tJerrold Nadler\t")
    assert cli("reps", "search", "zzzzqq").exit_code == 1
    listed = json.loads(cli("reps", "list", "--country", "GB", "--json").stdout)
    assert len(listed) == 650
    berlin = cli("reps", "list", "-c", "DE", "--state", "berlin").stdout.splitlines()
    assert berlin and all(line.startswith("de-") for line in berlin)


def test_data_info(cli):
    infos = json.loads(cli("data", "info", "--json").stdout)
    counts = {d["dataset"]: d["members"] for d in infos}
    assert counts == {"us": 537, "gb": 650, "de": 630, "fr": 577, "intl": 5}
    us = infos[0]
    assert us["valid_until"] == "2027-01-03" and us["origin"] == "bundled" and us["stale"] is None
    assert "CC0" in us["licence"] and "Open Parliament Licence v3.0" in infos[1]["credit"]
    text = cli("data", "info").stdout
    assert "Deutscher Bundestag" in text and "STALE" in text  # the French data is 333 days old


COMMANDS = [
    ["reps", "lookup"],
    ["reps", "show"],
    ["reps", "search"],
    ["reps", "list"],
    ["data", "info"],
    ["data", "update"],
    ["data", "reset"],
    ["write"],
    ["batch"],
    ["templates", "list"],
    ["templates", "show"],
    ["templates", "preview"],
    ["templates", "check"],
    ["templates", "new"],
    ["log", "sent"],
    ["log", "reply"],
    ["log", "forget"],
    ["log", "export"],
    ["followup"],
]


def test_the_list_names_every_command(cli):
    """A new command must join COMMANDS (and so the README and the help check)."""
    from advocate.cli import app

    found = []
    for group in app.registered_groups:
        found += [[group.name, c.name] for c in group.typer_instance.registered_commands]
    found += [[c.name] for c in app.registered_commands]
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(cli, command):
    from tests.helpers import ROOT

    r = cli(*command, "--help")
    assert r.exit_code == 0 and "Usage" in r.stdout
    assert f"advocate {' '.join(command)}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_letter_to_a_ministry_warns_of_the_curated_data_not_of_the_members(cli, monkeypatch):
    args = ("write", "--to", "fr-gov-interieur", "-t", "protection", "--name", "Alex Dupont", "--no-log")
    r = cli(*args)
    assert r.exit_code == 0, r.output
    assert "Assemblée nationale data" not in r.stderr  # the deputies' age says nothing about the ministry
    monkeypatch.setenv("ADVOCATE_TODAY", "2027-03-02")
    assert "office-holders and ministries (curated) are past their valid-until date" in cli(*args).stderr
    deputy = cli("write", "-c", "FR", "--department", "75", "--circo", "3", "-t", "asylum", "--name", "A B", "--no-log")
    assert "Assemblée nationale data is" in deputy.stderr
