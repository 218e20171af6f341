"""UK House of Commons: dfe-analytical-services/mp-lookup (one row per constituency)."""

from typing import Any

from ..errors import DataError
from .common import Dataset, check_count, fill_postal, person, read_csv

NO_EMAIL = "No email found"
VACANT = "Vacant"
COLUMNS = ["pcon_name", "pcon_code", "member_id", "full_title", "display_as", "party_text", "member_email",
           "lad_names", "country_name"]  # fmt: skip
_COURTESY = ("Mr ", "Ms ", "Mrs ", "Miss ", "Mx ")


def display_name(display_as: str) -> str:
    """``display_as`` without a plain courtesy title ("Mr David Lammy" → "David Lammy"); Sir/Dame/Dr stay."""
    for prefix in _COURTESY:
        if display_as.startswith(prefix):
            return display_as[len(prefix) :]
    return display_as


def given_name(name: str) -> str:
    """First name without Sir/Dame/Dr: "Sir Keir Starmer" → "Keir"."""
    words = [w for w in name.split() if w not in ("Sir", "Dame", "Dr", "Lord", "Lady")]
    return words[0] if words else name


def parse_gb(raw: bytes, postal_template: list[str]) -> Dataset:
    what = "uk/mp_lookup.csv"
    rows = read_csv(raw, what, COLUMNS)
    people = []
    vacancies: list[dict[str, Any]] = []
    councils: dict[str, set[str]] = {}
    for row in rows:
        name = display_name(row["display_as"].strip())
        email = row["member_email"].strip()
        constituency = row["pcon_name"].strip()
        for council in row["lad_names"].split(" / "):
            if council.strip():
                councils.setdefault(council.strip(), set()).add(constituency)
        if row["member_id"].strip().lower() == VACANT.lower():
            # Upstream writes a vacant seat as a row with member_id "Vacant": a seat, never a person.
            vacancies.append(
                {
                    "country": "GB",
                    "chamber": "commons",
                    "state": row["country_name"].strip() or None,
                    "district": row["pcon_code"].strip(),
                    "district_name": constituency,
                    "note": "the seat is vacant (mp_lookup.csv: member_id Vacant)",
                }
            )
            continue
        people.append(
            person(
                id=f"gb-{row['member_id'].strip()}",
                name=name,
                given_name=given_name(name),
                country="GB",
                body="House of Commons",
                chamber="commons",
                role="MP",
                language="en",
                state=row["country_name"].strip() or None,
                district=row["pcon_code"].strip(),
                district_name=constituency,
                party=row["party_text"].strip() or None,
                email=None if email in ("", NO_EMAIL) else email,
                website=f"https://members.parliament.uk/member/{row['member_id'].strip()}/contact",
                postal=fill_postal(postal_template, f"{name} MP"),
            )
        )
    check_count(what, len(people), 640 - len(vacancies), 650)
    if len(people) + len(vacancies) > 650:
        raise DataError(f"{what}: {len(people)} MPs and {len(vacancies)} vacant seats, more than the 650 seats")
    people.sort(key=lambda p: p["district_name"])
    vacancies.sort(key=lambda v: v["district_name"])
    council_map: dict[str, Any] = {c: sorted(v) for c, v in sorted(councils.items())}
    return {"people": people, "geo": {"councils": council_map}, "vacancies": vacancies}
