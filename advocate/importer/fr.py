"""Assemblée nationale: the Datan "députés actifs" export (one row per sitting député)."""

from typing import Any

from ..errors import DataError
from ..places import circo_name, department_code
from .common import Dataset, check_count, fill_postal, person, read_csv

SEATS = 577  # the Assemblée nationale's seats (sources.yaml bounds.seats)
# Names for a département that has no sitting député at all (never the case so far; a fallback for vacancies).
DEPARTMENT_NAMES: dict[str, str] = {}
COLUMNS = ["id", "civ", "nom", "prenom", "groupe", "departementNom", "departementCode", "circo", "mail"]


def parse_fr(raw: bytes, postal_template: list[str], switchboard: str | None) -> Dataset:
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
                district_name=circo_name(dept, row["departementNom"].strip(), circo),
                party=row["groupe"].strip() or None,
                email=row["mail"].strip() or None,
                website=website or None,
                phone=switchboard,
                postal=fill_postal(postal_template, addressee),
            )
        )
        entry = departments.setdefault(dept, {"name": row["departementNom"].strip(), "circos": []})
        entry["circos"].append(circo)
    check_count(what, len(people), 560, 577)
    people.sort(key=lambda p: p["district"])
    for entry in departments.values():
        entry["circos"].sort()
    vacant = vacancies(departments, {})
    if len(people) + len(vacant) > SEATS:
        raise DataError(f"{what}: {len(people)} députés and {len(vacant)} vacant seats, more than the {SEATS} seats")
    return {"people": people, "geo": {"departments": dict(sorted(departments.items()))}, "vacancies": vacant}


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
