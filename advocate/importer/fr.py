"""Assemblée nationale: the Datan "députés actifs" export (one row per sitting député)."""

from typing import Any

from ..places import circo_name, department_code
from .common import Dataset, check_count, fill_postal, person, read_csv

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
    return {"people": people, "geo": {"departments": dict(sorted(departments.items()))}}
