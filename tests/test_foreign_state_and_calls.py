"""Issue 10: what a letter to a foreign state leaves out (acceptance 4), and the 30-second call scripts
(acceptance 5), through the CLI on the bundled data."""

import json

import pytest

from advocate.lookup import people as reps

PERSONAL = "My cousin fled Grozny."
EMBASSIES = ["ru-embassy-uk", "ru-embassy-de", "ru-embassy-us"]


@pytest.mark.parametrize("rid", EMBASSIES)
def test_the_personal_paragraph_stays_out_of_an_embassy_letter_unless_asked(cli, rid):
    base = ("write", "--to", rid, "--template", "embassy", "--name", "Alex Doe", "--personal", PERSONAL)
    r = cli(*base)
    assert r.exit_code == 0, r.output
    assert PERSONAL not in r.stdout
    assert "your own paragraph was left out" in r.stderr and "may identify relatives or people who fled" in r.stderr
    assert "--include-personal" in r.stderr
    assert "Do not name or describe relatives or people who have fled." in r.stderr
    assert "--personal" not in r.stderr.replace("--include-personal", "")  # never the "add a line" hint
    r = cli(*base, "--include-personal")
    assert r.exit_code == 0 and PERSONAL in r.stdout and "left out" not in r.stderr


@pytest.mark.parametrize("rid", EMBASSIES)
def test_no_personal_hint_for_an_embassy_letter_without_a_paragraph(cli, rid):
    r = cli("write", "--to", rid, "--template", "embassy", "--name", "Alex Doe")
    assert r.exit_code == 0
    assert "add a line of your own" not in r.stderr
    assert "Do not name or describe relatives or people who have fled." in r.stderr


def test_templates_preview_applies_the_same_rule(cli):
    r = cli("templates", "preview", "embassy.en", "--personal", PERSONAL)
    assert r.exit_code == 0, r.output
    assert PERSONAL not in r.stdout and "Your Excellency," in r.stdout


def test_batch_applies_the_same_rule():
    from advocate.drafts import draft

    embassy = reps.show("ru-embassy-uk")
    assert draft.personal_for(embassy, PERSONAL) == ""
    assert draft.personal_for(embassy, PERSONAL, include_personal=True) == PERSONAL
    assert draft.personal_for(reps.show("gb-4514"), PERSONAL) == PERSONAL


def test_the_embassy_call_script_asks_for_no_reply_and_says_nothing_of_where_you_live(cli):
    r = cli("write", "--to", "ru-embassy-uk", "-t", "embassy", "--name", "Alex Doe", "--city", "London",
            "--my-postcode", "W8 4QP", "--email", "a@example.org", "-f", "call")  # fmt: skip
    assert r.exit_code == 0, r.output
    script = r.stdout.split("\n\n", 1)[1]
    assert "reply" not in script and "London" not in script and "W8 4QP" not in script and "a@example.org" not in script


# ---------------------------------------------------------------- call scripts


def _topic(name, language):
    from advocate.templates import letters as templates

    return next(lt for lt in templates.all_letters() if lt.name == name and lt.language == language).meta["topic"]


def _callable():
    """(recipient id, letter) for each bundled letter and a real recipient with a phone number that it suits."""
    from advocate.templates import letters as templates

    everyone = [*reps.all_people(), *(g for key in ("us", "gb", "de", "fr") for g in reps.government(key))]
    with_phone = [p for p in everyone if (p.get("channels") or {}).get("phone")]
    out = []
    for lt in templates.all_letters():
        person = next((p for p in with_phone if templates.suits(lt, p)), None)
        if person is not None:
            out.append((person["id"], lt.name, lt.language))
    return out


@pytest.mark.parametrize(("rid", "name", "language"), _callable())
def test_every_call_script_is_short_names_the_topic_and_the_postcode(cli, rid, name, language):
    code = {"us": "10001", "gb": "SW1A 1AA", "de": "10117", "fr": "75007"}.get(rid.split("-")[0], "10001")
    r = cli("write", "--to", rid, "-t", name, "--lang", language, "--name", "Alexandra Doe-Smith", "--city",
            "Springfield", "--my-postcode", code, "--email", "alexandra@example.org", "-f", "call")  # fmt: skip
    assert r.exit_code == 0, r.output
    head, script = r.stdout.split("\n\n", 1)
    assert head.startswith("Call ") and " at " in head
    assert len(script.split()) <= 75, (len(script.split()), script)
    assert _topic(name, language) in script
    if not rid.startswith("ru-embassy-"):
        assert code in script


def test_the_name_is_said_aloud_as_the_office_expects(cli):
    r = cli("write", "--to", "us-J000299", "-t", "asylum", "--name", "A B", "--zip", "70001", "-f", "call")
    assert r.exit_code == 0, r.output
    assert "constituent of Representative Johnson" in r.stdout and "ZIP code 70001" in r.stdout
    r = cli("write", "--to", "fr-PA1008", "-t", "asylum", "--name", "A B", "--my-postcode", "75007", "-f", "call")
    person = reps.show("fr-PA1008")
    said = "Madame la députée" if person["gender"] == "F" else "Monsieur le député"
    assert f"message pour {said}." in r.stdout and "code postal 75007" in r.stdout


@pytest.mark.parametrize("rid", ["de-1046366", "gb-4359", "icc-otp", "gb-gov-home-office"])
def test_no_script_without_a_phone_number_and_what_to_do_instead(cli, rid):
    template = "icc" if rid == "icc-otp" else "protection" if rid.startswith("gb-gov") else "asylum"
    r = cli("write", "--to", rid, "-t", template, "--name", "A B", "--my-postcode", "10117", "-f", "call")
    assert r.exit_code == 0, r.output
    assert "Call " not in r.stdout and "instead" in r.stdout
    if rid == "icc-otp":
        assert "takes no calls: send the letter by post instead (--format letter)" in r.stdout


def test_a_call_script_needs_the_postcode(cli):
    r = cli("write", "--to", "us-J000299", "-t", "asylum", "--name", "A B", "-f", "call")
    assert r.exit_code == 1 and "--my-postcode" in r.stderr


def test_json_is_unchanged_by_the_call_rules(cli):
    r = cli("write", "--to", "ru-embassy-uk", "-t", "embassy", "--name", "A B", "--personal", PERSONAL, "-f", "json")
    assert PERSONAL not in json.loads(r.stdout)[0]["body"]


def test_every_bundled_letter_makes_a_short_script_once_a_phone_is_known():
    """GB and DE members have no phone in the data: give a copy of a fitting recipient one, so every letter's ask
    is held to 75 words, with its topic and the postcode."""
    import copy

    from advocate.drafts import draft
    from advocate.drafts.text import as_call
    from advocate.templates import letters as templates

    everyone = [*reps.all_people(), *(g for key in ("us", "gb", "de", "fr") for g in reps.government(key))]
    sender = draft.sender("Alexandra Doe-Smith", None, "Springfield", "alexandra@example.org", "SW1A 1AA")
    checked = 0
    for lt in templates.all_letters():
        fits = [p for p in everyone if templates.suits(lt, p)]
        if not fits:
            fits = [draft.custom_recipient("Embassy of Lithuania")] if lt.meta["suits"][0].get("custom") else []
        for person in fits[:1] + [p for p in fits if p.get("office")][:3]:
            person = copy.deepcopy(person)
            person.setdefault("channels", {})["phone"] = "+1 555 0100"
            person["notes"] = None
            [d] = draft.make([person], lt.name, sender, "", lt.language)
            script = as_call(d).split("\n\n", 1)[1]
            assert len(script.split()) <= 75, (lt.variant, person["id"], len(script.split()), script)
            assert lt.meta["topic"] in script, lt.variant
            if not person["id"].startswith("ru-embassy-"):
                assert "SW1A 1AA" in script, (lt.variant, script)
            checked += 1
    assert checked >= 33


def test_a_batch_to_an_embassy_says_what_its_letters_leave_out(cli, tmp_path):
    sheet = tmp_path / "a.csv"
    sheet.write_text("name,email,address,personal\nAlex Doe,a@example.org,1 Road,My cousin fled Grozny.\n")
    r = cli("batch", str(sheet), "--to", "ru-embassy-de", "--template", "embassy", "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert "name only" in r.stderr and "people who have fled" in r.stderr
    (letter,) = (tmp_path / "out").glob("*.txt")
    text = letter.read_text(encoding="utf-8")
    assert "Alex Doe" in text and "Grozny" not in text and "1 Road" not in text and "a@example.org" not in text


def test_the_terminal_does_not_ask_for_a_paragraph_an_embassy_letter_would_drop(cli, monkeypatch):
    monkeypatch.setattr("advocate.cli.common.interactive", lambda: True)
    r = cli("write", "--to", "ru-embassy-uk", "--template", "embassy", "--name", "Alex Doe", input="")
    assert r.exit_code == 0, r.output
    assert "Your own paragraph" not in r.stderr
