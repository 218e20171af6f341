"""Issue 13: every answer checked as it is typed, a complete signature, readable output, and the conventions
people expect of a CLI. (The pseudo-terminal tests are in test_terminal.py.)"""

import json
import re

import pytest

from tests.helpers import one_error_line

US = ("-c", "US", "--zip", "10001", "--district", "12", "-t", "asylum", "--name", "Alex Doe")
SKIP = "\n\n\n\n"  # Enter for address, town, e-mail and the paragraph


@pytest.fixture
def screen(monkeypatch):
    """A terminal of 80 columns on stdout."""
    monkeypatch.setattr("advocate.cli.common.on_terminal", lambda: True)
    monkeypatch.setattr("advocate.cli.reps.on_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def terminal(monkeypatch, screen):
    """A person at the keyboard (prompts are shown) and a terminal on stdout."""
    monkeypatch.setattr("advocate.cli.common.interactive", lambda: True)


# ---------------------------------------------------------------- answers checked at once


@pytest.mark.parametrize("country", ["Deutschland", "allemagne", "GERMANY", "de"])
def test_the_country_is_known_by_code_or_name_in_english_german_and_french(cli, terminal, country):
    r = cli("write", "-t", "crackdown", "--name", "A", input=f"{country}\n10117\n" + SKIP)
    assert r.exit_code == 0, r.output
    assert "Guten Tag " in r.stdout


def test_an_unknown_country_is_asked_again(cli, terminal):
    r = cli("write", "-t", "crackdown", "--name", "A", input="Narnia\nDE\n10117\n" + SKIP)
    assert r.exit_code == 0, r.output
    assert r.stderr.count("Which country") == 2 and "'Narnia' is not a country" in r.stderr


def test_a_district_not_among_the_candidates_is_asked_again_without_naming_a_flag(cli, terminal):
    r = cli("write", "-c", "US", "-t", "asylum", "--name", "A", input="10001\n13\n12\n" + SKIP)
    assert r.exit_code == 0, r.output
    assert "12 = New York's 12th district" in r.stderr  # the candidates, with their names
    assert "'13' is not one of them; answer 10, 12" in r.stderr and "--district" not in r.stderr
    assert "Jerrold Nadler" in r.stdout


def test_a_constituency_typo_gets_did_you_mean_and_a_second_chance(cli, terminal):
    r = cli("write", "-c", "GB", "-t", "crackdown", "--name", "A", input="Holborn and St Pancreas\n"
            "Holborn and St Pancras\n\n\n\n\n\n")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "did you mean" in r.stderr and "Keir Starmer" in r.stdout


def test_a_uk_postcode_at_the_constituency_question_points_to_the_finder(cli, terminal):
    typed = "WC1X 8AA\nHolborn and St Pancras\n" + SKIP + "\n"
    r = cli("write", "-c", "GB", "-t", "crackdown", "--name", "A", input=typed)
    assert r.exit_code == 0, r.output
    assert "https://members.parliament.uk/constituencies" in r.stderr


def test_the_letter_is_chosen_by_number_from_a_list_with_titles(cli, terminal):
    r = cli("write", "-c", "DE", "--postcode", "10117", "--name", "A", input="2\n" + SKIP)
    assert r.exit_code == 0, r.output
    assert "  2. crackdown — Sanctions over the persecution in Chechnya" in r.stderr
    assert "icc" not in r.stderr.split("Which letter")[0]  # only the letters meant for these recipients
    assert "Guten Tag " in r.stdout


def test_three_wrong_answers_end_in_one_clear_error(cli, terminal):
    r = cli("write", "-c", "DE", "--postcode", "10117", "--name", "A", input="x\ny\nz\n")
    assert r.exit_code == 1 and "Error: no letter called 'z'" in r.stderr.splitlines()[-1]
    assert "(asked 3 times)" in r.stderr and r.stdout == ""


def test_a_blank_name_is_refused(cli, terminal):
    r = cli("write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", input="   \nAlex Doe\n" + SKIP)
    assert r.exit_code == 0 and "your name is needed" in r.stderr and "\nAlex Doe\n10117" in r.stdout


def test_a_blank_name_flag_is_refused(cli):
    one_error_line(cli("write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", "--name", "   "), "--name")


def test_address_town_and_email_are_asked_and_the_typed_zip_signs_the_letter(cli, terminal):
    typed = "10001\n12\nAlex Doe\n1 Main St\nNew York\nnot-an-address\nalex@example.org\nMine.\n"
    r = cli("write", "-c", "US", "-t", "asylum", "-f", "letter", input=typed)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Alex Doe\n1 Main St\nNew York 10001\n")  # the ZIP typed at the prompt
    assert "is not an e-mail address" in r.stderr and "Warning: no street address" not in r.stderr


def test_a_letter_to_ones_own_lawmaker_without_an_address_is_warned_about(cli, terminal):
    r = cli("write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", "--name", "A", input=SKIP)
    assert r.exit_code == 0 and "Warning: no street address (--address)" in r.stderr


def test_prompts_and_their_trailing_spaces_go_to_stderr(cli, terminal):
    r = cli("write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", input="A\n" + SKIP)
    assert r.exit_code == 0 and r.stdout.startswith("To: Hanna Steinmüller")


# ---------------------------------------------------------------- readable output


def test_letters_on_a_terminal_wrap_at_its_width_and_never_split_a_word(cli, screen, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    r = cli("write", *US, "--personal", "Mine.")
    assert r.exit_code == 0
    assert all(len(line) <= 60 or " " not in line.strip() for line in r.stdout.splitlines())
    monkeypatch.setenv("COLUMNS", "200")  # never wider than 88
    assert max(len(line) for line in cli("write", *US, "--personal", "Mine.").stdout.splitlines()) <= 88


def test_postal_letters_wrap_at_72_and_email_bodies_stay_unwrapped(cli, tmp_path):
    r = cli("write", *US, "--personal", "Mine.", "-f", "letter")
    assert max(len(line) for line in r.stdout.splitlines()) <= 72
    doc = json.loads(cli("write", *US, "--personal", "Mine.", "-f", "json").stdout)[0]
    assert max(len(line) for line in doc["body"].splitlines()) > 72  # the e-mail body is the letter as written


def test_batch_txt_letters_wrap_at_72(cli, tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("name,country,zip,district\nAlex Doe,US,10001,12\n", encoding="utf-8")
    r = cli("batch", str(csv), "-t", "crackdown", "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    for path in (tmp_path / "out").glob("*.txt"):
        assert max(len(line) for line in path.read_text(encoding="utf-8").splitlines()) <= 72


def test_lookup_on_a_terminal_keeps_addresses_and_urls_whole(cli, screen):
    r = cli("reps", "lookup", "-c", "DE", "--postcode", "10117")
    assert r.exit_code == 0
    assert "  e-mail: hanna.steinmueller@bundestag.de" in r.stdout.splitlines()
    assert any(line.strip() == "https://www.bundestag.de/services/formular/contactform?mdbId=1047564"
               for line in r.stdout.splitlines())  # fmt: skip
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_no_color_turns_off_bold_too(cli, screen, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[1m" in cli("reps", "lookup", "-c", "DE", "--postcode", "10117").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("reps", "lookup", "-c", "DE", "--postcode", "10117").stdout
    from advocate.cli.views import console

    assert console().color_system is None


def test_districts_sort_by_number(cli):
    r = cli("reps", "lookup", "-c", "US", "--state", "NY")
    names = re.findall(r"New York's (\d+)\w\w district", r.stdout.splitlines()[1])
    assert names == [str(n) for n in range(1, len(names) + 1)] and len(names) > 20


# ---------------------------------------------------------------- conventions


def test_h_is_help_and_completion_is_offered(cli):
    for args in (["-h"], ["write", "-h"], ["reps", "lookup", "-h"]):
        r = cli(*args)
        assert r.exit_code == 0 and r.stdout.startswith("Usage: ")
    assert "--install-completion" in cli("-h").stdout and "--show-completion" in cli("-h").stdout


def test_help_shows_readable_metavars_and_whole_summaries(cli):
    for args in (["write", "-h"], ["batch", "-h"], ["templates", "check", "-h"], ["reps", "show", "-h"]):
        text = cli(*args).stdout
        assert not re.search(r"<(str|int|path|FileText|list\[.*\]|int range)>", text), text
    write = cli("write", "-h").stdout
    assert "--personal-file FILE" in write and "--to ID" in write and "--district N" in write
    top = " ".join(cli("-h").stdout.split())
    assert "one letter per attendee and lawmaker, from a CSV." in top and "lawmaker..." not in top


def test_choices_ignore_case_and_formats_share_one_vocabulary(cli, tmp_path):
    assert cli("write", *US, "--personal", "M", "-f", "TEXT").exit_code == 0
    assert cli("write", *US, "--personal", "M", "-f", "txt").stdout == cli("write", *US, "--personal", "M").stdout
    csv = tmp_path / "a.csv"
    csv.write_text("name,country,zip,district\nAlex Doe,US,10001,12\n", encoding="utf-8")
    r = cli("batch", str(csv), "-t", "crackdown", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[0])["template"] == "crackdown"
    r = cli("batch", str(csv), "-t", "crackdown", "-f", "TEXT", "--out", str(tmp_path / "t"), "--ambiguous", "ALL")
    assert r.exit_code == 0, r.output
    r = cli("batch", str(csv), "-t", "crackdown", "-f", "html", "--paper", "letter", "--out", str(tmp_path / "h"))
    assert r.exit_code == 0, r.output


def test_empty_results_exit_1_with_and_without_json(cli):
    plain, as_json = cli("reps", "search", "zzz"), cli("reps", "search", "zzz", "--json")
    assert plain.exit_code == as_json.exit_code == 1
    assert json.loads(as_json.stdout) == []


def test_personal_and_personal_file_together_are_an_error(cli, tmp_path):
    (tmp_path / "p.txt").write_text("From a file.", encoding="utf-8")
    r = cli("write", *US, "--personal-file", str(tmp_path / "p.txt"), "--personal", "x")
    assert r.exit_code == 2 and "--personal" in r.stderr


def test_open_says_why_nothing_was_opened(cli, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("advocate.drafts.opener.open_draft", lambda target: calls.append(target) or True)
    r = cli("write", *US, "--personal", "M", "--open")
    assert r.exit_code == 0 and "Nothing opened: --open opens e-mail drafts" in r.stderr
    r = cli("write", *US, "--personal", "M", "-f", "eml", "--out", str(tmp_path), "--open")
    assert r.exit_code == 0 and calls == []
    assert r.stderr.count("Not opened: ") == 3 and "has no e-mail address in the data" in r.stderr


def test_a_uk_postcode_flag_points_to_the_official_finder(cli):
    r = cli("reps", "lookup", "-c", "GB", "--postcode", "WC1X 8AA")
    one_error_line(r, "https://members.parliament.uk/constituencies", "--constituency", "--council")


# ---------------------------------------------------------------- template tools


BROKEN = "---\nname: broken\ntitle: x\n---\nno front matter keys\n"


def test_list_and_check_report_every_broken_letter_and_still_list_the_good_ones(cli, home):
    folder = home / "letters"
    folder.mkdir(parents=True)
    (folder / "broken.en.j2").write_text(BROKEN, encoding="utf-8")
    (folder / "worse.en.j2").write_text("no front matter\n", encoding="utf-8")
    r = cli("templates", "list")
    assert r.exit_code == 1 and "crackdown " in r.stdout and "icc " in r.stdout
    assert "broken.en.j2" in r.stderr and "worse.en.j2" in r.stderr
    r = cli("templates", "check")
    assert r.exit_code == 1 and "broken.en.j2" in r.stderr and "worse.en.j2" in r.stderr


def test_unknown_attendee_columns_are_empty_in_write_preview_and_check(cli, home):
    folder = home / "letters"
    folder.mkdir(parents=True)
    cli("templates", "new", "shirt", "--from", "thanks-lithuania")
    path = folder / "shirt.en.j2"
    path.write_text(path.read_text(encoding="utf-8") + 'Shirt: [{{ attendee["T-Shirt"] }}]\n', encoding="utf-8")
    r = cli("write", "--to-name", "X", "-t", "shirt", "--name", "A", "--personal", "M")
    assert r.exit_code == 0 and "Shirt: []" in r.stdout, r.stderr
    assert "Shirt: []" in cli("templates", "preview", "shirt").stdout
    assert cli("templates", "check", str(path)).exit_code == 0


def test_preview_takes_the_place_flags_of_write(cli):
    r = cli("templates", "preview", "crackdown", "-c", "FR", "--department", "75", "--circo", "3")
    assert r.exit_code == 0 and r.stdout.startswith("# crackdown.fr → ")
    r = cli("templates", "preview", "crackdown", "-c", "DE", "--postcode", "10117", "--wahlkreis", "74")
    assert r.exit_code == 0 and "Hanna Steinmüller" in r.stdout
    assert cli("templates", "preview", "crackdown", "-c", "US", "--state", "NY").exit_code == 0


def test_letter_names_and_languages_ignore_case(cli):
    assert cli("write", *US[:6], "-t", "ASYLUM", "--name", "A", "--personal", "M").exit_code == 0
    r = cli("write", "--to-name", "X", "-t", "thanks-lithuania", "--name", "A", "--lang", "DE", "--personal", "M")
    assert r.exit_code == 0 and r.stdout.startswith("To: X")


def test_an_opener_that_fails_is_reported(cli, tmp_path, monkeypatch):
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "xdg-open"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setattr(sys, "platform", "linux")
    args = ("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "crackdown", "--name", "A")
    r = cli(*args, "--personal", "M", "-f", "eml", "--out", str(tmp_path / "d"), "--open")
    assert r.exit_code == 0
    assert "Not opened: Sir Keir Starmer: the program that opens drafts failed" in r.stderr
