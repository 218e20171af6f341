"""How a letter addresses its recipient, and how it writes the date, in the letter's language."""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from advocate.places import STATE_NAMES

_OFFICE = re.compile(
    r"\b(embassy|consulate|ministry|office|department|government|parliament|committee|mission|council|"
    r"botschaft|konsulat|ministerium|amt|ambassade|consulat|minist[eè]re|bureau|gouvernement)\b",
    re.IGNORECASE,
)

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}  # fmt: skip
INTL = {
    ("icc-otp", "en"): "Dear Sir or Madam",
    ("icc-otp", "fr"): "Madame, Monsieur",
    ("un-ie-sogi", "en"): "Dear Independent Expert",
    ("un-ie-sogi", "fr"): "Monsieur l'Expert indépendant",  # the mandate holder since 2023, Graeme Reid
}
# A foreign state's ambassador is addressed as "Your Excellency" / "Exzellenz" / "Excellence".
EXCELLENCY = {"en": "Your Excellency", "de": "Exzellenz", "fr": "Excellence"}
NEUTRAL = {"en": "Dear Sir or Madam", "de": "Sehr geehrte Damen und Herren", "fr": "Madame, Monsieur"}
# German nobility titles are part of the surname since 1919, but the written salutation leaves them out
# ("Christian Freiherr von Stetten" -> "Sehr geehrter Herr von Stetten"); the address keeps them.
NOBILITY = ("Freiherr", "Freifrau", "Freiin", "Graf", "Gräfin", "Baron", "Baronin", "Prinz", "Prinzessin",
            "Fürst", "Fürstin", "Herzog", "Herzogin", "Edler", "Edle", "Ritter")  # fmt: skip
# GB titles that go with the first name ("Dear Sir Keir"); every other title goes with the surname.
WITH_FIRST_NAME = ("Sir", "Dame", "Lord", "Lady")
GB_TITLES = ("Sir", "Dame", "Lord", "Lady", "Dr", "Mr", "Ms", "Mrs", "Miss", "Mx", "Professor", "Prof")
COURTESY = {"F": {"en": "Ms", "de": "Frau"}, "M": {"en": "Mr", "de": "Herr"}}
MINISTER = re.compile(r"\bMinister\b")


def format_date(day: dt.date, language: str, country: str | None = None) -> str:
    month = MONTHS.get(language, MONTHS["en"])[day.month - 1]
    if language == "de":
        return f"{day.day}. {month} {day.year}"
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    if country == "US":
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"


def salutation(p: Mapping[str, Any], language: str) -> str:
    """The greeting line without its final comma, from the data only (never guessed from a first name):
    "Dear Senator Schumer", "Sehr geehrte Frau Dr. Klein", "Dear Sir Keir", "Madame la Députée"."""
    given = p.get("salutation")
    if given:
        return str(given).strip().rstrip(",").strip()
    country = p.get("country")
    if p.get("chamber") == "government":
        return NEUTRAL.get(language, NEUTRAL["en"])
    if country == "US":
        return f"Dear {p['role']} {surname(p)}"
    if country == "GB":
        return "Dear " + _gb(p)
    if country == "DE":
        return _de(p, language)
    if country == "FR":
        if language == "fr":
            female = p.get("gender") == "F"
            if p.get("office") == "presiding_officer":  # the Président(e) de l'Assemblée is so addressed
                return "Madame la Présidente" if female else "Monsieur le Président"
            return "Madame la Députée" if female else "Monsieur le Député"
        return f"Dear {p['name']}"
    if country == "INTL":
        if is_embassy(p):
            return EXCELLENCY.get(language, EXCELLENCY["en"])
        return INTL.get((p["id"], language), NEUTRAL.get(language, NEUTRAL["en"]))
    # A recipient given by hand (--to-name): the data says nothing about them, so a neutral greeting.
    if language not in ("de", "fr") and MINISTER.search(str(p.get("name", ""))):
        return "Dear Minister"
    return NEUTRAL.get(language, NEUTRAL["en"])


def is_embassy(p: Mapping[str, Any]) -> bool:
    """A foreign state's embassy (the bundled Russian embassies)."""
    return str(p.get("id", "")).startswith("ru-embassy-")


def surname(p: Mapping[str, Any]) -> str:
    """The surname with its particle: the data's family_name, else the name after its titles and first name."""
    if p.get("family_name"):
        return str(p["family_name"])
    words = str(p.get("display_name") or p["name"]).split()
    while len(words) > 1 and words[0] in GB_TITLES:
        words.pop(0)
    given = p.get("given_name")
    if given and len(words) > 1 and words[0] == given:
        words.pop(0)
    return " ".join(words)


def _gb(p: Mapping[str, Any]) -> str:
    """ "Sir Keir", "Dame Meg", "Dr Huq", "Mr Kinnock", "Ms Baker"; the full name where the data has no form."""
    title = p.get("honorific")
    if title in WITH_FIRST_NAME:
        return f"{title} {p.get('given_name') or surname(p)}"
    if title:
        return f"{title} {surname(p)}"
    courtesy = COURTESY.get(str(p.get("gender")), {}).get("en")
    return f"{courtesy} {surname(p)}" if courtesy else str(p["name"])


def _de_family(p: Mapping[str, Any]) -> str:
    words = surname(p).split()
    while len(words) > 1 and words[0] in NOBILITY:
        words.pop(0)
    return " ".join(words)


def _de(p: Mapping[str, Any], language: str) -> str:
    """ "Sehr geehrte Frau Dr. Klein", "Sehr geehrter Herr Professor Streeck"; "Guten Tag Vorname Nachname"."""
    gender, title = str(p.get("gender")), p.get("honorific")
    full = " ".join(x for x in (p.get("given_name"), p.get("family_name")) if x) or str(p["name"])
    if language != "de":
        en_title = {"Dr.": "Dr", "Professor": "Professor"}.get(str(title)) or COURTESY.get(gender, {}).get("en")
        return f"Dear {en_title} {_de_family(p)}" if en_title else f"Dear {full}"
    if gender not in COURTESY:
        return f"Guten Tag {full}"
    opening = "Sehr geehrte Frau" if gender == "F" else "Sehr geehrter Herr"
    return " ".join(x for x in (opening, title, _de_family(p)) if x)


def spoken(p: Mapping[str, Any], language: str) -> str:
    """The name as said aloud on the phone: "Representative Johnson", "Frau Dr. Klein", "Madame la députée"."""
    if p.get("chamber") == "government" or p.get("country") in ("INTL", "CUSTOM"):
        return str(p["name"])
    greeting = salutation(p, language)
    if p.get("country") == "FR" and language == "fr" and p.get("chamber") == "assemblee":
        return greeting[0] + greeting[1:].lower()
    for opening, instead in (("Dear ", ""), ("Sehr geehrte ", ""), ("Sehr geehrter ", ""), ("Guten Tag ", "")):
        if greeting.startswith(opening):
            return instead + greeting[len(opening) :]
    return greeting


def envelope(p: Mapping[str, Any], language: str) -> list[str]:
    """The recipient's address block: the data's postal lines (their name alone without them); a German
    letter to a person puts "Frau" / "Herrn" on a line of its own above the name ("Dr. Ottilie Klein, MdB").
    (A French office-holder's postal lines name the office already: importer/curated.py.)"""
    lines = list((p.get("channels") or {}).get("postal") or []) or [str(p["name"])]
    if language == "de" and p.get("country") == "DE" and p.get("chamber") == "bundestag":
        form = {"F": "Frau", "M": "Herrn"}.get(str(p.get("gender")))
        if form and lines[0] != form:
            lines.insert(0, form)
    return lines


def place(p: Mapping[str, Any]) -> str:
    """Where the sender is a constituent: the district, or the state for a US senator."""
    if p.get("country") == "US":
        # "in Louisiana's 4th district"; an at-large seat is its state or territory ("the District of Columbia")
        name = str(p.get("district_name") or "")
        if name and not name.endswith(AT_LARGE):
            return name
        state = STATE_NAMES.get(str(p.get("state")), str(p.get("state") or "")) if p.get("state") else ""
        state = state or name.removesuffix(AT_LARGE)
        return f"the {state}" if state in WITH_THE else state
    return str(p.get("district_name") or "")


AT_LARGE = " (at large)"
WITH_THE = ("District of Columbia", "U.S. Virgin Islands", "Northern Mariana Islands", "United States Virgin Islands")


def form_lines(p: Mapping[str, Any], office: Mapping[str, Any] | None = None) -> list[str]:
    """What `reps show` says about how a letter addresses this person, and why (one "label: value" a line);
    ``office``: the curated entry behind their office (its official page and date)."""
    language = str(p.get("language") or "en")
    greeting = salutation(p, language)
    lines = [f"greeting: {greeting},"]
    if p.get("country") == "GB" and not p.get("honorific") and not p.get("gender"):
        lines[0] += " (the full name: the data has no gender or form of address for this MP)"
    elif p.get("country") == "DE" and greeting.startswith("Guten Tag"):
        lines[0] += " (the data gives no gender of Frau or Herr for this member)"
    if p.get("office") and not p.get("office_title"):
        lines.append(f"office: {p['office']}")
    elif p.get("office"):
        where = f"; {office['source_url']}, as of {office.get('as_of')}" if office else ""
        lines.append(f"office: {p.get('office_title') or p['office']} ({p['office']}{where})")
    minister = p.get("minister")
    if isinstance(minister, dict) and minister.get("name"):
        lines.append(f"minister: {minister['name']}, {minister.get('title') or ''} ({minister.get('source') or ''})")
    for url in p.get("sources") or []:
        lines.append(f"source: {url}")
    if p.get("notes"):
        lines.append(f"note: {p['notes']}")
    return lines
