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
    ("un-ie-sogi", "fr"): "Madame, Monsieur l'Expert indépendant",
    ("ru-embassy-us", "en"): "Dear Ambassador",
    ("ru-embassy-uk", "en"): "Dear Ambassador",
    ("ru-embassy-de", "de"): "Sehr geehrte Damen und Herren",
    ("ru-embassy-de", "en"): "Dear Ambassador",
}


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
    """The greeting line without its final comma: "Dear Senator Schumer", "Madame la Députée"."""
    country = p.get("country")
    family = p.get("family_name") or p["name"].split()[-1]
    if country == "US":
        return f"Dear {p['role']} {family}"
    if country == "GB":
        name: str = p["name"]
        if name.startswith(("Sir ", "Dame ")):
            return f"Dear {name.split()[0]} {p.get('given_name') or name.split()[1]}"
        return f"Dear {name}"
    if country == "DE":
        # The data holds no gender, so no "Frau"/"Herr": a neutral, respectful German greeting.
        return f"Guten Tag {p['name']}" if language == "de" else f"Dear {p['name']}"
    if country == "FR":
        if language == "fr":
            return "Madame la Députée" if p.get("gender") == "F" else "Monsieur le Député"
        return f"Dear {p['name']}"
    if country == "INTL":
        return INTL.get((p["id"], language), "Dear Sir or Madam" if language == "en" else "Madame, Monsieur")
    # A recipient given by hand: a person by name, an office ("Embassy of …") by a neutral greeting.
    if _OFFICE.search(p["name"]):
        return {"de": "Sehr geehrte Damen und Herren", "fr": "Madame, Monsieur"}.get(language, "Dear Sir or Madam")
    return {"de": f"Guten Tag {p['name']}", "fr": "Madame, Monsieur"}.get(language, f"Dear {p['name']}")


def place(p: Mapping[str, Any]) -> str:
    """Where the sender is a constituent: the district, or the state for a US senator."""
    if p.get("district_name"):
        return str(p["district_name"])
    if p.get("country") == "US" and p.get("state"):
        return STATE_NAMES.get(str(p["state"]), str(p["state"]))
    return ""
