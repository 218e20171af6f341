"""Issue 10: forms of address from the data, through the CLI on the bundled data (acceptance 1 and 2)."""

import json
import re

import pytest

from advocate.lookup import people as reps


def _letters(cli, ids, *extra):
    args = [a for rid in ids for a in ("--to", rid)]
    r = cli("write", *args, "-t", "asylum", "--name", "Alex Doe", "--personal", "Mine.", "-f", "json", *extra)
    assert r.exit_code == 0, r.output
    return {d["recipient"]["id"]: d for d in json.loads(r.stdout)}


def test_every_mdb_is_greeted_frau_or_herr_with_title_and_particle(cli):
    mdbs = reps.all_people("DE")
    assert len(mdbs) == 630
    docs = _letters(cli, [p["id"] for p in mdbs])
    counts = {"F": 0, "M": 0, "D": 0, "Dr.": 0, "Professor": 0, "particle": 0}
    for p in mdbs:
        first = docs[p["id"]]["body"].split("\n", 1)[0]
        assert "  " not in p["name"] and "  " not in first, p["id"]
        family = p["family_name"]
        title = f"{p['honorific']} " if p["honorific"] else ""
        if p["gender"] == "D":
            assert first == f"Guten Tag {p['given_name']} {family},"
        else:
            opening = "Sehr geehrte Frau" if p["gender"] == "F" else "Sehr geehrter Herr"
            family = family.removeprefix("Freiherr ")  # the written salutation leaves the nobility title out
            assert first == f"{opening} {title}{family},", p["id"]
        counts[p["gender"]] += 1
        if p["honorific"]:
            counts[p["honorific"]] += 1
        if re.match(r"(von|van|de|dos|Freiherr) ", p["family_name"]):
            counts["particle"] += 1
    assert counts == {"F": 205, "M": 424, "D": 1, "Dr.": 93, "Professor": 12, "particle": 8}


@pytest.mark.parametrize(
    ("rid", "first"),
    [
        ("de-1046366", "Sehr geehrter Herr Dr. von Notz,"),
        ("de-1047596", "Sehr geehrte Frau von Storch,"),
        ("de-1049264", "Sehr geehrter Herr von Stetten,"),
        ("de-1047276", "Guten Tag Lisa Schubert,"),
    ],
)
def test_german_examples(cli, rid, first):
    assert _letters(cli, [rid])[rid]["body"].startswith(first + "\n")


def test_professor_is_named_once_and_prof_dr_becomes_professor(cli):
    streeck = next(p for p in reps.search("Streeck", "DE"))
    assert _letters(cli, [streeck["id"]])[streeck["id"]]["body"].startswith("Sehr geehrter Herr Professor Streeck,")


def test_german_envelope_has_frau_or_herrn_on_its_own_line(cli):
    r = cli("write", "--to", "de-1046366", "--to", "de-1047596", "--to", "de-1047276", "-t", "asylum",
            "--name", "Alex Doe", "--personal", "Mine.", "-f", "letter")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "\n\nHerrn\nDr. Konstantin von Notz, MdB\nDeutscher Bundestag\n" in r.stdout
    assert "\n\nFrau\nBeatrix von Storch, MdB\n" in r.stdout
    assert "\n\nLisa Schubert, MdB\n" in r.stdout  # "d": no Frau/Herrn line


def _uk_cases():
    by = {}
    for p in reps.all_people("GB"):
        by.setdefault(p["honorific"] or (p["gender"] and f"none-{p['gender']}") or "no row", []).append(p)
    return by


@pytest.mark.parametrize(
    ("rid", "greeting"),
    [
        ("gb-4514", "Dear Sir Keir,"),  # Sir + first name
        ("gb-1524", "Dear Dame Meg,"),  # Dame + first name
        ("gb-4511", "Dear Dr Huq,"),  # Dr + surname
        ("gb-4813", "Dear Mr Holden,"),  # Mr in the display name
        ("gb-4359", "Dear Mr Kinnock,"),  # no title in the display name, gender M
        ("gb-4597", "Dear Mrs Badenoch,"),  # Mrs in the display name
        ("gb-152", "Dear Sir Iain,"),
        ("gb-5450", "Dear Douglas Lumsden,"),  # no row in current-MPs.csv
        ("gb-5449", "Dear Lara Bird,"),
        ("gb-1427", "Dear Andy Burnham,"),
    ],
)
def test_uk_examples(cli, rid, greeting):
    r = cli("write", "--to", rid, "-t", "asylum", "--name", "Alex Doe", "--personal", "Mine.")
    assert r.exit_code == 0, r.output
    assert f"\n{greeting}\n" in r.stdout


def test_every_uk_mp_is_greeted_by_form_from_the_data(cli):
    mps = reps.all_people("GB")
    docs = _letters(cli, [p["id"] for p in mps])
    seen = set()
    for p in mps:
        first = docs[p["id"]]["body"].split("\n", 1)[0]
        given, shown = p["given_name"], p["display_name"] or p["name"]
        surname = shown.split(" ", 1 + bool(p["honorific"]))[-1]
        if p["honorific"] in ("Sir", "Dame"):
            expected = f"Dear {p['honorific']} {given},"
        elif p["honorific"]:
            expected = f"Dear {p['honorific']} {surname},"
        elif p["gender"]:
            expected = f"Dear {'Ms' if p['gender'] == 'F' else 'Mr'} {surname},"
        else:
            expected = f"Dear {p['name']},"
            assert "no row" in p["notes"] and "elected later" in p["notes"]
        assert first == expected, p["id"]
        assert " MP" not in first and "  " not in first
        seen.add(p["honorific"] or f"none-{p['gender']}")
    assert {"Sir", "Dame", "Dr", "Mr", "Ms", "Mrs", "none-F", "none-M", "none-None"} <= seen


def test_reps_show_says_why_an_mp_gets_the_full_name(cli):
    r = cli("reps", "show", "gb-5450")
    assert r.exit_code == 0
    assert "greeting: Dear Douglas Lumsden, (the full name: the data has no gender or form of address" in r.stdout


def test_mp_on_the_envelope_only(cli):
    r = cli("write", "--to", "gb-4511", "-t", "asylum", "--name", "Alex Doe", "--personal", "Mine.", "-f", "letter")
    assert "\nDr Rupa Huq MP\nHouse of Commons\n" in r.stdout and "\nDear Dr Huq,\n" in r.stdout


def test_us_at_large_place_and_sender_line(cli):
    r = cli("write", "--to", "us-N000147", "-t", "asylum", "--name", "Alex Doe", "--city", "Washington",
            "--my-postcode", "20001", "--personal", "Mine.", "-f", "letter")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "a constituent in the District of Columbia about" in r.stdout
    assert "(at large)" not in r.stdout
    assert r.stdout.startswith("Alex Doe\nWashington, DC 20001\n\n")
    r = cli("write", "-c", "US", "--zip", "10001", "--district", "12", "-t", "asylum", "--name", "Alex Doe",
            "--city", "New York", "--personal", "Mine.", "-f", "letter")  # fmt: skip
    assert r.stdout.startswith("Alex Doe\nNew York, NY 10001\n\n") and "Dear Senator Schumer," in r.stdout


def test_embassies_ministries_and_named_recipients(cli):
    def first(*args):
        r = cli("write", *args, "--name", "Alex Doe", "--personal", "Mine.", "-f", "json")
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)[0]["body"].split("\n\n")[0]

    assert first("--to", "ru-embassy-uk", "-t", "embassy") == "Your Excellency,"
    assert first("--to", "ru-embassy-de", "-t", "embassy") == "Exzellenz,"
    assert first("--to", "gb-gov-home-office", "-t", "protection") == "Dear Sir or Madam,"
    assert first("--to", "de-gov-bmi", "-t", "protection") == "Sehr geehrte Damen und Herren,"
    budrys = "H.E. Mr Kęstutis Budrys, Minister of Foreign Affairs"
    assert first("--to-name", budrys, "-t", "thanks-lithuania") == "Dear Minister,"
    assert first("--to-name", "Embassy of Lithuania", "-t", "thanks-lithuania") == "Dear Sir or Madam,"
    assert first("--to-name", "Jane Roe", "-t", "thanks-lithuania", "--lang", "de") == "Sehr geehrte Damen und Herren,"
    given = first("--to-name", "Jane Roe", "--to-salutation", "Dear Ms Roe,", "-t", "thanks-lithuania")
    assert given == "Dear Ms Roe,"


def test_to_salutation_needs_to_name(cli):
    r = cli("write", "--to", "gb-4514", "--to-salutation", "Dear Keir", "-t", "asylum", "--name", "A B")
    assert r.exit_code != 0 and "--to-salutation" in r.output


def test_french_postal_letters_are_dated_once_and_the_icc_address_is_french(cli):
    r = cli("write", "--to", "icc-otp", "-t", "icc", "--lang", "fr", "--name", "Alex Doe", "--city", "Paris",
            "--personal", "Mine.", "-f", "letter")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Bureau du Procureur\nBoîte postale 19519\n2500 CM La Haye\nPays-Bas" in r.stdout
    assert r.stdout.count("24 novembre 2026") == 1 and "Paris, le 24 novembre 2026" in r.stdout


def test_a_french_letter_puts_place_and_date_below_the_address_and_above_the_subject(cli, tmp_path):
    args = ("write", "-c", "FR", "--postcode", "75015", "--circo", "12", "-t", "crackdown", "--name", "Alex Dupont",
            "--city", "Paris", "--no-log")  # fmt: skip
    r = cli(*args, "-f", "letter")
    assert r.exit_code == 0, r.output
    head = r.stdout.split("Madame la Députée,")[0]
    assert head.index("75355 Paris 07 SP") < head.index("Paris, le 24 novembre 2026") < head.index("Objet\u00a0: ")
    assert r.stdout.count("24 novembre 2026") == 1
    attendees = tmp_path / "a.csv"
    attendees.write_text("name,country,postcode,circo,city\nAlex Dupont,FR,75015,12,Paris\n", encoding="utf-8")
    batch = cli("batch", str(attendees), "-t", "crackdown", "--format", "html", "--out", str(tmp_path / "out"))
    assert batch.exit_code == 0, batch.output
    page = (tmp_path / "out" / "letters.html").read_text(encoding="utf-8")
    assert '<div class="date">Paris, le 24 novembre 2026</div>' in page and page.count("24 novembre 2026") == 1
    english = cli("write", "--to", "gb-gov-fcdo", "-t", "sanctions", "--name", "Alex Doe", "--no-log", "-f", "letter")
    assert english.stdout.index("24 November 2026") < english.stdout.index("King Charles Street")


def test_the_presidente_de_l_assemblee_is_so_addressed_on_the_envelope_and_greeted(cli):
    r = cli("write", "--to", "fr-PA721908", "-t", "crackdown", "--name", "Alex Dupont", "--no-log", "-f", "letter")
    assert r.exit_code == 0, r.output
    address = "Madame Yaël Braun-Pivet\nPrésidente de l'Assemblée nationale\n126 rue de l'Université\n75355 Paris 07 SP"
    assert address in r.stdout and "Madame la Députée" not in r.stdout
    assert (
        "\nMadame la Présidente,\n" in r.stdout and "vos fonctions de présidente de l'Assemblée nationale" in r.stdout
    )
    deputy = cli("write", "-c", "FR", "--department", "75", "--circo", "3", "-t", "asylum", "--name", "A B", "--no-log",
                 "-f", "letter")  # fmt: skip
    assert "Madame la Députée Léa Balage El Mariky\nAssemblée nationale\n" in deputy.stdout
