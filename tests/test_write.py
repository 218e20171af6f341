"""`advocate write` as a user meets it: the letters, the formats, the drafts on disk, every error line."""

import email.parser
import email.policy
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocate.drafts.eml import clean_header_text
from tests.helpers import mailboxes, one_error_line

US = ("--country", "US", "--zip", "10001", "--district", "12")
ASYLUM_US = ("write", *US, "--template", "asylum", "--name", "Alex Doe")
HOLBORN = ("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "--template", "crackdown")
LITHUANIA = ("--to-name", "Embassy of the Republic of Lithuania", "--to-email", "info@lt.example")
HEADERS = {"To", "Subject", "X-Unsent", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"}
SEPARATOR = "\n" + "-" * 72 + "\n\n"

SHORT_LETTER = """\
---
name: short
title: A short note
description: A short note for the mailto tests.
language: en
suits:
  - custom: true
subject: "Chechnya: a short note & a question?"
---
{{ recipient.salutation }}

Please speak out about Chechnya.

{% if personal %}
{{ personal }}

{% endif %}
Thank you,
{{ sender.name }}
"""


def parse_eml(path: Path):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())


def content(msg) -> str:
    """The body as text, with the draft's CRLF line ends back to "\\n"."""
    return msg.get_content().replace("\r\n", "\n")


def letters(stdout: str) -> list[str]:
    return stdout.split(SEPARATOR)


def short_letter(home: Path) -> None:
    folder = home / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "short.en.j2").write_text(SHORT_LETTER, encoding="utf-8")


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """Run from a scratch folder, so drafts written to the default --out never land in the checkout."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


# ---------------------------------------------------------------- 1. the acceptance examples


def test_acceptance_example_prints_three_english_letters_with_contact_links(cli):
    r = cli(*ASYLUM_US)
    assert r.exit_code == 0, r.output
    chunks = letters(r.stdout)
    heads = [c.splitlines()[0] for c in chunks]
    assert heads == [
        "To: Senator Charles E. Schumer (United States Senate)",
        "To: Senator Kirsten E. Gillibrand (United States Senate)",
        "To: Representative Jerrold Nadler (United States House of Representatives)",
    ]
    greetings = ["Dear Senator Schumer,", "Dear Senator Gillibrand,", "Dear Representative Nadler,"]
    for chunk, greeting in zip(chunks, greetings, strict=True):
        header, _, body = chunk.partition("\n\n")
        assert "   phone: 202-22" in header and "   post: The Honorable " in header and "Washington, DC" in header
        assert "Subject: Chechnya: will LGBT people who flee be considered for case-by-case refugee admission" in header
        assert body.startswith(greeting + "\n")
        assert "I am writing to you as a constituent in New York" in body
        assert body.rstrip().endswith("Sincerely,\nAlex Doe\n10001")
    assert "contact form: https://www.schumer.senate.gov/contact/" in chunks[0]
    assert "contact form: https://www.gillibrand.senate.gov/contact/" in chunks[1]
    assert "contact form: https://nadler.house.gov/forms/writeyourrep/" in chunks[2]
    # One hint, on stderr only, about the missing personal paragraph.
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Hint: ") and "--personal" in r.stderr
    assert "Hint" not in r.stdout


def test_personal_paragraph_silences_the_hint_and_appears_in_every_letter(cli):
    mine = "My partner fled Grozny in 2017; please help others reach safety."
    r = cli(*ASYLUM_US, "--personal", mine)
    assert r.exit_code == 0 and r.stderr == ""
    assert [c.count(mine) for c in letters(r.stdout)] == [1, 1, 1]


def test_personal_file_and_stdin(cli, tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("From a file: my own words.\n", encoding="utf-8")
    r = cli(*ASYLUM_US, "--personal-file", str(path))
    assert r.exit_code == 0 and r.stderr == "" and r.stdout.count("From a file: my own words.\n") == 3
    r = cli(*ASYLUM_US, "--personal-file", "-", input="From stdin: my own words.\n")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout.count("From stdin: my own words.\n") == 3


def test_whitespace_personal_paragraph_still_gets_the_hint(cli):
    r = cli(*ASYLUM_US, "--personal", "   \n ")
    assert r.exit_code == 0 and r.stderr.startswith("Hint: ") and r.stderr.count("\n") == 1


def test_german_letters_greet_frau_or_herr_from_the_data(cli):
    r = cli(
        "write", "--country", "DE", "--postcode", "10117", "--template", "crackdown", "--name", "Alex Doe", "-f", "json"
    )
    assert r.exit_code == 0, r.output
    docs = json.loads(r.stdout)
    assert docs and all(d["language"] == "de" and d["variant"] == "crackdown.de" for d in docs)
    for d in docs:
        assert d["recipient"]["body"] == "Deutscher Bundestag"
        p = d["recipient"]
        opening = {"F": "Sehr geehrte Frau", "M": "Sehr geehrter Herr"}[p["gender"]]
        title = f"{p['honorific']} " if p["honorific"] else ""
        assert d["body"].startswith(f"{opening} {title}{p['family_name']},\n\n")
        assert "Mit freundlichen Grüßen\nAlex Doe\n10117" in d["body"]
    text = cli("write", "--country", "DE", "--postcode", "10117", "--template", "crackdown", "--name", "Alex Doe")
    assert text.exit_code == 0
    for chunk in letters(text.stdout):
        assert chunk.startswith("To: ") and "(Deutscher Bundestag)" in chunk.splitlines()[0]
        assert "\nSehr geehrte" in chunk and "Tschetschenien" in chunk


@pytest.mark.parametrize("circo", ["1", "3"])
def test_french_greeting_matches_the_deputes_civility(cli, circo):
    r = cli(
        "write",
        "-c",
        "FR",
        "--department",
        "75",
        "--circo",
        circo,
        "-t",
        "crackdown",
        "--name",
        "Alex Doe",
        "-f",
        "json",
    )
    assert r.exit_code == 0, r.output
    [d] = json.loads(r.stdout)
    person = d["recipient"]
    assert d["language"] == "fr" and person["body"] == "Assemblée nationale"
    expected = "Madame la Députée," if person["gender"] == "F" else "Monsieur le Député,"
    assert d["body"].startswith("Le 24 novembre 2026\n\n" + expected + "\n")  # French letters open with the date
    # Both civilities occur in Paris: circo 1 is a man, circo 3 a woman.
    assert person["gender"] == {"1": "M", "3": "F"}[circo]
    # The French data is old: a staleness warning plus the hint, each one line, on stderr only.
    assert "Assemblée nationale data is" in r.stderr and r.stderr.count("\n") == 2


@pytest.mark.parametrize("to", [("--to", "icc-otp"), ()], ids=["to-icc-otp", "intl-by-template"])
def test_icc_letter_goes_to_the_courts_postal_address(cli, to):
    r = cli("write", "--country", "INTL", *to, "--template", "icc", "--name", "Alex Doe", "--format", "letter")
    assert r.exit_code == 0, r.output
    assert SEPARATOR not in r.stdout  # one letter
    lines = r.stdout.splitlines()
    block = lines[lines.index("Office of the Prosecutor") - 1 : lines.index("The Netherlands") + 1]
    assert block == [
        "Information and Evidence Unit",
        "Office of the Prosecutor",
        "Post Office Box 19519",
        "2500 CM The Hague",
        "The Netherlands",
    ]
    assert "24 November 2026" in lines and "Dear Sir or Madam," in lines
    assert "Yours faithfully," in r.stdout


# ---------------------------------------------------------------- 2. .eml drafts on disk


def test_uk_eml_draft_round_trips_through_the_email_parser(cli, tmp_path):
    out = tmp_path / "d"
    r = cli(
        *HOLBORN, "--name", "Alex Doe", "--personal", "I live in Kentish Town.", "--format", "eml", "--out", f"{out}/"
    )
    assert r.exit_code == 0, r.output
    [path] = list(out.iterdir())
    assert path.suffix == ".eml" and r.stdout == f"Draft for Sir Keir Starmer: {path}\n"
    msg = parse_eml(path)
    assert set(msg.keys()) == HEADERS
    assert [a.addr_spec for a in msg["To"].addresses] == ["keir.starmer.mp@parliament.uk"]
    assert msg["To"].addresses[0].display_name == "Sir Keir Starmer"
    assert msg["X-Unsent"] == "1"
    assert msg["Date"] is None and msg["Message-ID"] is None and msg["From"] is None
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    [doc] = json.loads(
        cli(*HOLBORN, "--name", "Alex Doe", "--personal", "I live in Kentish Town.", "-f", "json").stdout
    )
    assert msg["Subject"] == doc["subject"]
    assert content(msg) == doc["body"]
    assert doc["body"].startswith("Dear Sir Keir,\n") and "I live in Kentish Town." in doc["body"]
    assert b"\r\n" in path.read_bytes() and all(len(line) <= 78 for line in path.read_bytes().split(b"\r\n"))


def test_existing_draft_is_kept_byte_identical_without_force(cli, tmp_path):
    out = tmp_path / "d"
    args = (*HOLBORN, "--name", "Alex Doe", "--format", "eml", "--out", str(out))
    assert cli(*args).exit_code == 0
    [path] = list(out.iterdir())
    before = path.read_bytes()
    changed = (*HOLBORN, "--name", "Someone Else", "--format", "eml", "--out", str(out))
    r = cli(*changed)
    one_error_line(r, str(path), "already exists", "--force")
    assert path.read_bytes() == before and list(out.iterdir()) == [path]
    r = cli(*changed, "--force")
    assert r.exit_code == 0, r.output
    assert list(out.iterdir()) == [path] and "Someone Else" in content(parse_eml(path))


def test_eml_goes_to_the_current_folder_by_default(cli, here):
    r = cli(*HOLBORN, "--name", "Alex Doe", "--format", "eml")
    assert r.exit_code == 0
    [path] = list(here.iterdir())
    assert r.stdout == f"Draft for Sir Keir Starmer: {path.name}\n"


def test_unwritable_out_folder_is_one_error_line(cli, tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not stop writing")
        r = cli(*HOLBORN, "--name", "Alex Doe", "--format", "eml", "--out", str(out))
        one_error_line(r, f"cannot write into {out}")
        assert r.stdout == "" and list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_out_pointing_at_a_file_is_one_error_line(cli, tmp_path):
    target = tmp_path / "afile"
    target.write_bytes(b"keep me")
    r = cli(*HOLBORN, "--name", "Alex Doe", "--format", "eml", "--out", str(target))
    one_error_line(r, f"cannot write into {target}")
    assert r.stdout == ""
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["afile"]
    r = cli(*HOLBORN, "--name", "Alex Doe", "--format", "eml", "--out", str(target / "sub"))
    one_error_line(r, "cannot write into")
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["afile"]


# ---------------------------------------------------------------- 3. mailto


def mailto_parts(uri: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(uri)
    assert parts.scheme == "mailto" and not parts.fragment
    return unquote(parts.path), parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)


def test_mailto_round_trips_through_urllib(cli, home, here):
    short_letter(home)
    mine = "Line one & two?\nLine three: 100% sure + more #hash"
    args = ("write", *LITHUANIA, "--template", "short", "--name", "Alex Doe", "--personal", mine)
    r = cli(*args, "--format", "mailto")
    assert r.exit_code == 0, r.output
    uri = r.stdout.removesuffix("\n")
    assert "\n" not in uri and len(uri) <= 1800
    assert "+" not in uri and " " not in uri and "%20" in uri and "%0D%0A" in uri
    to, query = mailto_parts(uri)
    assert to == "info@lt.example" and set(query) == {"subject", "body"}
    [doc] = json.loads(cli(*args, "--format", "json").stdout)
    assert query["subject"] == [doc["subject"]] == ["Chechnya: a short note & a question?"]
    assert query["body"] == [doc["body"].replace("\n", "\r\n")]
    assert doc["body"].startswith("Dear Sir or Madam,\n") and mine in doc["body"]
    assert list(here.iterdir()) == []  # nothing written


def test_overlong_mailto_says_so_and_writes_an_eml_instead(cli, home, tmp_path):
    short_letter(home)
    mine = "I have followed the reports from Chechnya since 2017 and they still trouble me. " * 30
    out = tmp_path / "d"
    r = cli(
        "write", *LITHUANIA, "-t", "short", "--name", "Alex Doe", "--personal", mine, "-f", "mailto", "--out", str(out)
    )
    assert r.exit_code == 0, r.output
    [path] = list(out.iterdir())
    assert r.stdout == f"{path}\n"
    [line] = r.stderr.splitlines()
    assert "too long" in line and f"wrote {path} instead" in line
    length = int(line.split(" would be ")[1].split()[0])
    assert length > 1800
    msg = parse_eml(path)
    assert [a.addr_spec for a in msg["To"].addresses] == ["info@lt.example"]
    assert mine.strip() in content(msg)


def test_bundled_letter_as_mailto_is_too_long_and_becomes_an_eml(cli, here):
    r = cli(*HOLBORN, "--name", "Alex Doe", "--personal", "Mine.", "-f", "mailto")
    assert r.exit_code == 0
    [path] = list(here.iterdir())
    assert r.stdout == f"{path.name}\n" and "too long" in r.stderr and r.stderr.count("\n") == 1


# ---------------------------------------------------------------- 4. recipients without e-mail, call, json, letter


@pytest.mark.parametrize("fmt", ["eml", "mailto"])
def test_us_recipients_without_email_get_the_letter_and_contact_info(cli, tmp_path, fmt):
    out = tmp_path / "d"
    r = cli(*ASYLUM_US, "--personal", "Mine.", "--format", fmt, "--out", str(out))
    assert r.exit_code == 0, r.output
    assert not out.exists()
    chunks = r.stdout.split("Dear ")
    assert r.stdout.count("takes no e-mail; send this by their contact form, post or phone") == 3
    for name in ("Charles E. Schumer", "Kirsten E. Gillibrand", "Jerrold Nadler"):
        assert f"{name} takes no e-mail" in r.stdout
    assert r.stdout.count("   phone: ") == 3 and r.stdout.count("   post: The Honorable") == 3
    assert r.stdout.count("   contact form: https://") == 3
    assert len(chunks) == 4 and "mailto:" not in r.stdout


def test_call_script_has_the_phone_number_and_the_ask(cli):
    docs = json.loads(cli(*ASYLUM_US, "-f", "json").stdout)
    phones = [d["recipient"]["channels"]["phone"] for d in docs]
    r = cli(*ASYLUM_US, "--city", "New York", "--email", "alex@example.org", "--format", "call")
    assert r.exit_code == 0, r.output
    scripts = letters(r.stdout)
    assert len(scripts) == 3
    for script, doc, phone in zip(scripts, docs, phones, strict=True):
        assert phone and script.startswith(f"Call {doc['recipient']['name']} at {phone}:\n\n")
        assert "Hello, my name is Alex Doe. I'm a constituent of " in script
        assert " in New York, NY, ZIP code 10001." in script
        assert "reply at alex@example.org" in script
        assert "{{" not in script and "{%" not in script
        words = len(script.split("\n\n", 1)[1].split())
        assert 40 <= words <= 75, words  # about 30 seconds
    assert "Senator Charles E. Schumer" in scripts[0] or "Senator Schumer" in scripts[0]


def test_call_script_without_a_city_names_the_zip(cli):
    r = cli(*ASYLUM_US, "--format", "call")
    assert r.exit_code == 0
    assert "I'm a constituent of Senator Schumer, ZIP code 10001." in r.stdout and "{" not in r.stdout


def test_json_has_recipient_subject_and_body_per_letter(cli):
    r = cli(*ASYLUM_US, "--format", "json")
    assert r.exit_code == 0
    docs = json.loads(r.stdout)
    assert [d["recipient"]["name"] for d in docs] == ["Charles E. Schumer", "Kirsten E. Gillibrand", "Jerrold Nadler"]
    for d in docs:
        assert {"recipient", "subject", "body", "template", "variant", "language", "sources"} <= set(d)
        assert d["template"] == "asylum" and d["variant"] == "asylum.en-us" and d["language"] == "en"
        assert d["subject"] and d["body"].startswith("Dear ") and d["sources"]
    assert "Hint" not in r.stdout and r.stderr.startswith("Hint: ")


def test_postal_letter_layout_us(cli):
    r = cli(*ASYLUM_US, "--address", "1 Main St", "--city", "New York", "--personal", "Mine.", "--format", "letter")
    assert r.exit_code == 0, r.output
    first = letters(r.stdout)[0]
    blocks = first.split("\n\n")
    assert blocks[0] == "Alex Doe\n1 Main St\nNew York, NY 10001"
    assert blocks[1] == "November 24, 2026"
    assert blocks[2] == (
        "The Honorable Charles E. Schumer\nUnited States Senate\n322 Hart Senate Office Building\nWashington, DC 20510"
    )
    assert blocks[3] == "Re: Chechnya: will LGBT people who flee be considered for case-by-case\nrefugee admission?"
    assert max(len(line) for line in r.stdout.splitlines()) <= 72  # wrapped for printing
    assert blocks[4] == "Dear Senator Schumer,"
    assert first.endswith("Sincerely,\nAlex Doe\n")  # the address is in the sender block, not again below
    assert len(letters(r.stdout)) == 3


@pytest.mark.parametrize(
    ("args", "date", "greeting"),
    [
        (("-c", "DE", "--postcode", "10117", "-t", "asylum"), "24. November 2026", "Sehr geehrte Frau Steinmüller,"),
        (("-c", "FR", "--department", "75", "--circo", "3", "-t", "asylum"), "24 novembre 2026", "Madame la Députée,"),
        (
            ("-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "asylum"),
            "24 November 2026",
            "Dear Sir Keir,",
        ),
    ],
)
def test_postal_letter_date_in_the_letters_language(cli, args, date, greeting):
    r = cli("write", *args, "--name", "Alex Doe", "--personal", "Mine.", "--format", "letter")
    assert r.exit_code == 0, r.output
    blocks = letters(r.stdout)[0].split("\n\n")
    if "novembre" in date:  # French: its own place-and-date line, below the address and above "Objet :", once
        assert blocks.pop(2) == f"Le {date}" and blocks[2].startswith("Objet\u00a0: ") and r.stdout.count(date) == 1
        blocks.insert(1, date)
    else:
        assert blocks[1] == date
    assert blocks[0].startswith("Alex Doe") and blocks[4].startswith(greeting)


# ---------------------------------------------------------------- 5. missing inputs: never a prompt off a terminal


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("-c", "US", "--zip", "10001", "--district", "12", "--name", "A B"), "--template"),
        (("-c", "US", "--zip", "10001", "--district", "12", "-t", "asylum"), "--name"),
        (("--zip", "10001", "--district", "12", "-t", "asylum", "--name", "A B"), "--country"),
        (("-c", "US", "-t", "asylum", "--name", "A B"), "--zip"),
        (("-c", "US", "--zip", "10001", "-t", "asylum", "--name", "A B"), "--district"),
        (("-c", "GB", "-t", "asylum", "--name", "A B"), "--constituency"),
        (("-c", "DE", "-t", "asylum", "--name", "A B"), "--postcode"),
        (("-c", "DE", "--postcode", "80331", "-t", "asylum", "--name", "A B"), "--wahlkreis"),
        (("-c", "FR", "-t", "asylum", "--name", "A B"), "--postcode"),
        (("-c", "FR", "--postcode", "75007", "-t", "asylum", "--name", "A B"), "--circo"),
    ],
)
def test_missing_input_off_a_terminal_is_one_line_naming_the_flag(cli, args, flag):
    r = cli("write", *args)
    one_error_line(r, flag)
    assert r.stdout == ""
    assert "?:" not in r.stderr  # no prompt was shown


def test_ambiguous_zip_lists_the_districts(cli):
    r = cli("write", "-c", "US", "--zip", "10001", "-t", "asylum", "--name", "A B")
    one_error_line(r, "ZIP 10001", "10 = New York's 10th district", "12 = New York's 12th district", "--district")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        ((*US, "-t", "nope", "--name", "A"), ("no letter called 'nope'", "crackdown")),
        ((*US, "-t", "icc", "--name", "A"), ("letter 'icc' is not meant for",)),
        (("-c", "INTL", "-t", "asylum", "--name", "A"), ("not for an international recipient", "icc-otp")),
        (("-c", "US", "--zip", "00000", "-t", "asylum", "--name", "A"), ("ZIP 00000",)),
        (("-c", "XX", "--zip", "10001", "-t", "asylum", "--name", "A"), ("unknown country 'XX'",)),
        (("--to", "nobody", "-t", "asylum", "--name", "A"), ("no one with id 'nobody'",)),
        (("--to-name", "  ", "-t", "thanks-lithuania", "--name", "A"), ("--to-name is empty",)),
        (("--to-name", "X", "--lang", "de", "-t", "thanks-canada", "--name", "A"), ("no 'de' version",)),
    ],
)
def test_other_write_errors_are_one_line(cli, args, needles):
    r = cli("write", *args)
    one_error_line(r, *needles)
    assert r.stdout == ""


def test_usage_errors_exit_2(cli):
    assert cli(*ASYLUM_US, "--format", "pdf").exit_code == 2
    assert cli("write", "--to-email", "a@b.org", "-t", "thanks-lithuania", "--name", "A").exit_code == 2


def test_prompts_on_a_terminal_answer_the_ambiguous_zip_and_the_name(cli, monkeypatch):
    monkeypatch.setattr("advocate.cli.common.interactive", lambda: True)
    r = cli("write", "-c", "US", "--zip", "10001", "-t", "asylum", input="12\nAlex Doe\n\n\n\nI care about this.\n")
    assert r.exit_code == 0, r.output
    assert "Several districts match" in r.stderr and "Your name" in r.stderr and "Your own paragraph" in r.stderr
    assert "Hint" not in r.stderr
    names = [line for line in r.stdout.splitlines() if line.startswith("To: ")]
    assert names == [
        "To: Senator Charles E. Schumer (United States Senate)",
        "To: Senator Kirsten E. Gillibrand (United States Senate)",
        "To: Representative Jerrold Nadler (United States House of Representatives)",
    ]
    assert r.stdout.count("\nI care about this.\n") == 3 and r.stdout.count("\nAlex Doe\n10001") == 3


def test_prompts_on_a_terminal_ask_for_everything(cli, monkeypatch):
    monkeypatch.setattr("advocate.cli.common.interactive", lambda: True)
    r = cli("write", input="DE\n80331\n219\ncrackdown\nAlex Doe\n\n\n\n\n")
    assert r.exit_code == 0, r.output
    for question in ("Which letter?", "Which country", "Your postcode (PLZ)", "Several districts match", "Your name"):
        assert question in r.stderr
    assert "Hint: " in r.stderr  # the personal paragraph was skipped
    assert "Wahlkreis 219" in r.stdout and "Sehr geehrte" in r.stdout


# ---------------------------------------------------------------- 6. the Russian embassy


@pytest.mark.parametrize("fmt", ["text", "letter", "json", "call"])
def test_embassy_letter_leaves_out_address_and_email(cli, fmt):
    r = cli(
        "write", "--country", "INTL", "--to", "ru-embassy-uk", "--template", "embassy", "--name", "Alex Doe",
        "--address", "1 Street", "--email", "a@b.org", "--city", "Berlin", "--my-postcode", "10999", "--format", fmt,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith("Warning: ") and "Russian embassy" in r.stderr.splitlines()[0]
    for private in ("1 Street", "a@b.org", "Berlin 10999", "10999"):
        assert private not in r.stdout
    assert "Alex Doe" in r.stdout


def test_embassy_letter_in_german_greets_politely_and_needs_no_warning_without_details(cli):
    r = cli(
        "write", "-c", "INTL", "--to", "ru-embassy-de", "-t", "embassy", "--name", "Alex Doe", "--personal", "Mine."
    )
    assert r.exit_code == 0 and "Mine." not in r.stdout and "EXZELLENZ" not in r.stderr
    assert r.stderr.endswith("Do not name or describe relatives or people who have fled.\n")
    assert "\nExzellenz,\n" in r.stdout


# ---------------------------------------------------------------- 7. recipients given by hand


def test_office_is_greeted_neutrally_and_a_person_by_name(cli):
    r = cli("write", *LITHUANIA, "--template", "thanks-lithuania", "--name", "Alex Doe", "--personal", "Mine.")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("To: Embassy of the Republic of Lithuania\n   e-mail: info@lt.example\n")
    assert "\nDear Sir or Madam,\n" in r.stdout
    # the data says nothing of a person given by hand, so no guessed form of address: neutral, or --to-salutation
    r = cli("write", "--to-name", "Gabrielius Landsbergis", "-t", "thanks-lithuania", "--name", "Alex Doe")
    assert r.exit_code == 0 and "\nDear Sir or Madam,\n" in r.stdout
    r = cli("write", "--to-name", "Gabrielius Landsbergis", "--to-salutation", "Dear Mr Landsbergis", "-t",
            "thanks-lithuania", "--name", "Alex Doe")  # fmt: skip
    assert r.exit_code == 0 and "\nDear Mr Landsbergis,\n" in r.stdout


def test_to_address_appears_in_the_postal_letter(cli):
    r = cli("write", *LITHUANIA, "--to-address", "Unter den Linden 1\n10117 Berlin", "-t", "thanks-lithuania",
            "--name", "Alex Doe", "-f", "letter")  # fmt: skip
    assert r.exit_code == 0
    assert "\nEmbassy of the Republic of Lithuania\nUnter den Linden 1\n10117 Berlin\n" in r.stdout


@pytest.mark.parametrize("bad", ["a@b.org, evil@x.org", "a@b.org\r\nBcc: x@y.org", "a@b.org; evil@x.org", "<a@b.org>"])
def test_to_email_cannot_add_a_recipient(cli, tmp_path, bad):
    out = tmp_path / "d"
    args = ("--to-name", "X Y", "--to-email", bad, "-t", "thanks-lithuania", "--name", "A")
    r = cli("write", *args, "-f", "eml", "--out", str(out))
    one_error_line(r, "not a usable e-mail address")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["eml", "mailto"])
def test_to_name_with_line_breaks_cannot_add_a_header(cli, home, tmp_path, fmt):
    short_letter(home)
    out = tmp_path / "d"
    evil = "Lithuania\r\nBcc: x@y.org\nX-Evil: 1"
    args = ("--to-name", evil, "--to-email", "a@b.org", "-t", "short", "--name", "A")
    r = cli("write", *args, "-f", fmt, "--out", str(out))
    assert r.exit_code == 0, r.output
    if fmt == "eml":
        [path] = list(out.iterdir())
        msg = parse_eml(path)
        assert set(msg.keys()) == HEADERS
        [to] = msg["To"].addresses
        assert to.addr_spec == "a@b.org" and to.display_name == "Lithuania Bcc: x@y.org X-Evil: 1"
    else:
        to, query = mailto_parts(r.stdout.strip())
        assert to == "a@b.org" and set(query) == {"subject", "body"}


names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, personal=names, sender=names)
@pytest.mark.slow
def test_fuzzed_names_and_text_never_add_a_header_or_recipient(cli, home, name, personal, sender):
    short_letter(home)
    with tempfile.TemporaryDirectory() as scratch:
        base = ("write", f"--to-name={name}", "--to-email=a@b.org", "-t", "short", f"--personal=MARK{personal}")
        args = (*base, f"--name=S {sender}", "--out", scratch)
        r = cli(*args, "-f", "eml")
        if not name:
            assert r.exit_code == 2  # --to-email without --to-name is a usage error
            return
        if not clean_header_text(name):
            one_error_line(r, "--to-name is empty")
            return
        assert r.exit_code == 0, r.output
        [path] = list(Path(scratch).iterdir())
        msg = parse_eml(path)
        assert set(msg.keys()) == HEADERS
        # Decoded as RFC 2047 says (CPython keeps the space between folded encoded words in names).
        assert mailboxes(msg) == [(clean_header_text(name), "a@b.org")]
        assert [a.addr_spec for a in msg["To"].addresses] == ["a@b.org"]
        assert msg["Subject"] == "Chechnya: a short note & a question?"
        assert "MARK" in content(msg)
        r = cli(*args, "-f", "mailto")
        assert r.exit_code == 0
        uri = r.stdout.strip()
        if uri.startswith("mailto:"):
            to_path, query = mailto_parts(uri)
            assert to_path == "a@b.org" and set(query) == {"subject", "body"} and "+" not in uri
            [doc] = json.loads(cli(*args, "-f", "json").stdout)
            assert query["body"] == [doc["body"].replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")]


# ---------------------------------------------------------------- 11. handing drafts to the mail program


class Recorder:
    def __init__(self, answer: bool) -> None:
        self.answer, self.calls = answer, []

    def __call__(self, target: str) -> bool:
        self.calls.append(target)
        return self.answer


@pytest.mark.parametrize("handled", [False, True])
def test_open_eml_hands_the_absolute_path_to_the_opener(cli, tmp_path, monkeypatch, handled):
    opener = Recorder(handled)
    monkeypatch.setattr("advocate.drafts.opener.open_draft", opener)
    out = tmp_path / "d"
    r = cli(*HOLBORN, "--name", "Alex Doe", "--personal", "Mine.", "-f", "eml", "--out", str(out), "--open")
    assert r.exit_code == 0, r.output
    [path] = list(out.iterdir())
    assert opener.calls == [str(path.resolve())]
    if handled:
        assert r.stderr == "Opened the draft to Sir Keir Starmer in your mail program.\n"
    else:
        assert r.stderr.startswith("Not opened: Sir Keir Starmer: ")
        assert r.stderr.endswith(f"; open it yourself: {path.resolve()}\n") and r.stderr.count("\n") == 1


def test_open_mailto_hands_the_uri_to_the_opener(cli, home, monkeypatch):
    short_letter(home)
    opener = Recorder(False)
    monkeypatch.setattr("advocate.drafts.opener.open_draft", opener)
    r = cli("write", *LITHUANIA, "-t", "short", "--name", "A", "--personal", "Mine.", "-f", "mailto", "--open")
    assert r.exit_code == 0
    uri = r.stdout.strip()
    assert opener.calls == [uri] and r.stderr.startswith("Not opened: Embassy of the Republic of Lithuania: ")
    assert r.stderr.endswith(f"; open it yourself: {uri}\n")


def test_nothing_is_opened_without_open_or_for_recipients_without_email(cli, tmp_path, monkeypatch):
    opener = Recorder(True)
    monkeypatch.setattr("advocate.drafts.opener.open_draft", opener)
    assert cli(*HOLBORN, "--name", "A", "-f", "eml", "--out", str(tmp_path / "d")).exit_code == 0
    assert cli(*ASYLUM_US, "-f", "eml", "--out", str(tmp_path / "e"), "--open").exit_code == 0
    assert opener.calls == []


def test_the_real_opener_never_uses_a_shell(cli, tmp_path, monkeypatch):
    import subprocess

    calls = []

    def fake_popen(argv, **kwargs):
        calls.append((argv, kwargs))

    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr("sys.platform", "linux")
    r = cli(*HOLBORN, "--name", "A", "-f", "eml", "--out", str(tmp_path / "d"), "--open")
    assert r.exit_code == 0
    [(argv, kwargs)] = calls
    [path] = list((tmp_path / "d").iterdir())
    assert argv == ["xdg-open", str(path.resolve())] and not kwargs.get("shell")


@pytest.mark.parametrize(
    ("args", "outside"),
    [
        (("--to", "us-S000148", "--zip", "10001"), None),
        (("--to", "us-S000148", "--zip", "90210"), "90210 is not in New York, which Charles E. Schumer represents"),
        (("--to", "de-1047564", "--postcode", "10117"), None),
        (("--to", "de-1047564", "--postcode", "80331"), "80331 is not in Wahlkreis 074 Berlin-Mitte"),
        (("--to", "fr-PA721908", "--postcode", "75015"), "75015 is not in Yvelines (5e circonscription)"),
        (("--to", "gb-4514"), None),
    ],
)
def test_a_letter_to_someone_else_s_lawmaker_says_the_letter_claims_a_constituent(cli, args, outside):
    r = cli("write", *args, "-t", "asylum", "--name", "A B", "--no-log")
    assert r.exit_code == 0, r.output
    notes = [line for line in r.stderr.splitlines() if "the letter says you are a constituent" in line]
    assert notes[0].removeprefix("Note: ").startswith(outside) if outside else not notes, r.stderr
