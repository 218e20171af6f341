"""Assemblée nationale: the Datan "députés actifs" export (one row per sitting député)."""

import re
from typing import Any

from ..errors import DataError
from ..places import circo_name, department_code
from .common import Dataset, check_count, encode_table, fill_postal, load_json, person, read_csv

SEATS = 577  # the Assemblée nationale's seats (sources.yaml bounds.seats)
# Names for a département that has no sitting député at all (never the case so far; a fallback for vacancies).
DEPARTMENT_NAMES: dict[str, str] = {}
COLUMNS = ["id", "civ", "nom", "prenom", "groupe", "departementNom", "departementCode", "circo", "mail"]


# The Interior ministry's letters for overseas départements and collectivités (as the postcode file writes its
# circonscriptions) → the département codes of the Datan export (and of this data).
OVERSEAS = {"ZA": "971", "ZB": "972", "ZC": "973", "ZD": "974", "ZM": "976", "ZN": "988", "ZP": "987",
            "ZS": "975", "ZW": "986", "ZX": "977"}  # fmt: skip
_POSTCODE = re.compile(r"^\d{5}$")
_CIRCO = re.compile(r"^(?P<dept>\d{2}|2[AB]|Z[A-Z]|\d{3})(?P<circo>\d{2})$")
POSTCODES_WHAT = "fr/plz-circonscription.json"


# The Datan export lower-cases the word after a hyphen in five names ("Côte-d'or"); the official names.
_NAME_FIXES = {"Corse-du-sud": "Corse-du-Sud", "Côte-d'or": "Côte-d'Or", "Côtes-d'armor": "Côtes-d'Armor",
               "Haute-corse": "Haute-Corse", "Val-d'oise": "Val-d'Oise"}  # fmt: skip


def department_name(raw: str) -> str:
    name = raw.strip()
    return _NAME_FIXES.get(name, name)


def parse_fr_postcodes(raw: bytes) -> dict[str, list[str]]:
    """Code postal → its circonscriptions as district keys ("75015" → ["75-12", "75-13"]), from the letter-tool
    table ``{"75015": ["7512", "7513"], …}`` (circo code = département + two digits; overseas letters ZA…ZX)."""
    what = POSTCODES_WHAT
    data = load_json(raw, what)
    if not isinstance(data, dict):
        raise DataError(f"{what}: expected an object of code postal → list of circonscriptions")
    table: dict[str, list[str]] = {}
    for postcode, circos in data.items():
        if not _POSTCODE.match(str(postcode)) or not isinstance(circos, list) or not circos:
            raise DataError(
                f"{what}: entry {postcode!r}: expected a 5-digit code postal and a list of circonscriptions"
            )
        keys = set()
        for code in circos:
            match = _CIRCO.match(str(code).upper())
            if not match:
                raise DataError(f"{what}: {postcode}: {code!r} is not a circonscription code like 7512 or ZA01")
            dept = match["dept"]
            dept = OVERSEAS.get(dept, dept) if dept.startswith("Z") else department_code(dept)
            if dept.startswith("Z"):
                raise DataError(f"{what}: {postcode}: unknown overseas code {code!r} (known: {', '.join(OVERSEAS)})")
            keys.add(f"{dept}-{int(match['circo']):02d}")
        table[str(postcode)] = sorted(keys)
    if len(table) < 5000:
        raise DataError(f"{what}: only {len(table)} codes postaux, expected about 6,300; refusing this file")
    return dict(sorted(table.items()))


def parse_fr(
    raw: bytes, postal_template: list[str], switchboard: str | None, postcodes: bytes | None = None
) -> Dataset:
    """``postcodes``: the letter-tool code postal → circonscriptions table (geo["postcodes"], district keys)."""
    what = "fr/deputes-active.csv"
    rows = read_csv(raw, what, COLUMNS)
    people = []
    departments: dict[str, Any] = {}
    for row in rows:
        dept = department_code(row["departementCode"])
        circo = int(row["circo"])
        female = row["civ"].strip() == "Mme"
        name = f"{row['prenom'].strip()} {row['nom'].strip()}"
        addressee = f"Madame la Députée {name}" if female else f"Monsieur le Député {name}"
        website = row.get("website", "").strip()
        if website and "://" not in website:
            website = "https://" + website
        people.append(
            person(
                id=f"fr-{row['id'].strip()}",
                name=name,
                given_name=row["prenom"].strip(),
                family_name=row["nom"].strip(),
                country="FR",
                body="Assemblée nationale",
                chamber="assemblee",
                role="Députée" if female else "Député",
                language="fr",
                gender="F" if female else "M",
                state=dept,
                district=f"{dept}-{circo:02d}",
                district_name=circo_name(dept, department_name(row["departementNom"]), circo),
                party=row["groupe"].strip() or None,
                email=row["mail"].strip() or None,
                website=website or None,
                phone=switchboard,
                postal=fill_postal(postal_template, addressee),
            )
        )
        entry = departments.setdefault(dept, {"name": department_name(row["departementNom"]), "circos": []})
        entry["circos"].append(circo)
    check_count(what, len(people), 560, 577)
    people.sort(key=lambda p: p["district"])
    for entry in departments.values():
        entry["circos"].sort()
    by_postcode = parse_fr_postcodes(postcodes) if postcodes is not None else {}
    seats: dict[str, set[int]] = {}
    for keys in by_postcode.values():
        for key in keys:
            dept, _, number = key.rpartition("-")
            seats.setdefault(dept, set()).add(int(number))
    vacant = vacancies(departments, seats)
    if len(people) + len(vacant) > SEATS:
        raise DataError(f"{what}: {len(people)} députés and {len(vacant)} vacant seats, more than the {SEATS} seats")
    geo: dict[str, Any] = {"departments": dict(sorted(departments.items()))}
    if by_postcode:
        geo["postcodes"] = encode_table(by_postcode)
    return {"people": people, "geo": geo, "vacancies": vacant}


def vacancies(departments: dict[str, Any], seats: dict[str, set[int]]) -> list[dict[str, Any]]:
    """Seats without a député: a circonscription numbered below the highest one held in its département, or one
    that ``seats`` (département → circo numbers, e.g. from the postcode table) knows, that nobody holds.

    (A vacant highest-numbered circonscription of a département the postcode table does not cover, i.e. of the
    Français de l'étranger, cannot be seen from these files; the 577-seat bound in sources.yaml catches a count off.)
    """
    out = []
    for dept in sorted(set(departments) | set(seats)):
        entry = departments.get(dept)
        held = set(entry["circos"]) if entry else set()
        known = set(range(1, max(held) + 1)) if held else set()
        for circo in sorted((known | seats.get(dept, set())) - held):
            name = entry["name"] if entry else DEPARTMENT_NAMES.get(dept, dept)
            out.append(
                {
                    "country": "FR",
                    "chamber": "assemblee",
                    "state": dept,
                    "district": f"{dept}-{circo:02d}",
                    "district_name": circo_name(dept, name, circo),
                    "note": "no député in the source file for this circonscription",
                }
            )
    return out


DATAN_FILE = "deputes-active"  # Datan's "députés actifs" CSV: deputes-active.csv, under a timestamped folder


def newest_csv_url(api_json: bytes, stem: str = DATAN_FILE) -> str:
    """The newest CSV resource of a data.gouv.fr dataset whose title or file name starts with ``stem``, from the
    dataset API's answer (https://www.data.gouv.fr/api/1/datasets/<slug>/:
    {"resources": [{"url", "format", "title", "last_modified", …}]}). The file URLs carry timestamps
    (…/20260215-210804/deputes-active.csv), so the address is resolved afresh at each update.
    """
    what = "the data.gouv.fr dataset API"
    data = load_json(api_json, what)
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        raise DataError(f"{what}: no 'resources' list in the answer; the API's format may have changed")
    candidates: list[tuple[str, str]] = []
    for res in resources:
        if not isinstance(res, dict) or not isinstance(res.get("url"), str):
            continue
        url = res["url"].strip()
        name = url.rsplit("/", 1)[-1].split("?", 1)[0]
        title = str(res.get("title") or "")
        is_csv = str(res.get("format") or "").lower() == "csv" or name.lower().endswith(".csv")
        if is_csv and (name.startswith(stem) or title.startswith(stem)) and url.startswith(("https://", "http://")):
            # ISO 8601 timestamps of one format sort as text; the URL's own timestamp folder breaks a tie.
            candidates.append((str(res.get("last_modified") or ""), url))
    if not candidates:
        raise DataError(f"{what}: no CSV resource named {stem}*.csv in the dataset; refusing to guess a file")
    return max(candidates)[1]
