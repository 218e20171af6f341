"""UK House of Commons: dfe-analytical-services/mp-lookup (one row per constituency)."""

from typing import Any

from ..errors import DataError
from .common import Dataset, check_count, fill_postal, person, read_csv

NO_EMAIL = "No email found"
VACANT = "Vacant"
COLUMNS = ["pcon_name", "pcon_code", "member_id", "full_title", "display_as", "party_text", "member_email",
           "lad_names", "country_name"]  # fmt: skip
MPS_COLUMNS = ["ID", "MP", "Gender"]
# Forms of address that open a Members API display name. The bundled current-MPs.csv has Mr ×29, Sir ×28, Dr ×21,
# Dame ×9, Ms ×7 and Mrs ×3; the others are accepted should they appear. "Rt Hon" is a style, not a form of address.
TITLES = ("Sir", "Dame", "Dr", "Mr", "Ms", "Mrs", "Miss", "Mx", "Lord", "Lady", "Professor", "Prof")
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


def honorific(shown: str) -> str | None:
    """The form-of-address title that opens a display name ("Dr Rupa Huq" → "Dr"), else None."""
    words = shown.split()
    return words[0] if len(words) >= 2 and words[0] in TITLES else None


def parse_current_mps(raw: bytes) -> dict[str, dict[str, str | None]]:
    """Member id → {gender, display_name, honorific} from open-innovations' current-MPs.csv (ID, MP, Gender).

    ``honorific`` is the first word of the Members API display name when it is a form-of-address title
    ("Sir James Cleverly" → "Sir", "Dr Rupa Huq" → "Dr"); most display names carry none ("Alex Baker") → None.
    """
    what = "uk/current-MPs.csv"
    out: dict[str, dict[str, str | None]] = {}
    for number, row in enumerate(read_csv(raw, what, MPS_COLUMNS), start=2):
        member, shown, gender = row["ID"].strip(), " ".join(row["MP"].split()), row["Gender"].strip().upper()
        if not member or not shown:
            continue
        if gender not in ("F", "M", ""):
            raise DataError(f"{what}:{number}: Gender {row['Gender']!r}, expected F or M")
        out[member] = {"gender": gender or None, "display_name": shown, "honorific": honorific(shown)}
    if len(out) < 600:
        raise DataError(f"{what}: only {len(out)} MPs, expected about 650; refusing this file")
    return out


def parse_gb(raw: bytes, postal_template: list[str], current_mps: bytes | None = None) -> Dataset:
    """``current_mps``: open-innovations' current-MPs.csv, for gender, display name and form of address."""
    what = "uk/mp_lookup.csv"
    rows = read_csv(raw, what, COLUMNS)
    address = parse_current_mps(current_mps) if current_mps is not None else None
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
        member = row["member_id"].strip()
        form = (address or {}).get(member)
        shown = " ".join(row["display_as"].split())
        if form and shown and shown != form["display_name"]:
            # mp_lookup.csv's display_as is the same Members API field, 3 months newer ("Dr Peter Prinsley",
            # "Peter Prinsley" in current-MPs.csv): the newer one wins.
            form = {**form, "display_name": shown, "honorific": honorific(shown)}
        note = None
        if address is not None and form is None:
            note = (
                "No gender or form of address in the data: current-MPs.csv (2026-04-03) has no row for this MP, "
                "who was elected later."
            )
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
                gender=form["gender"] if form else None,
                honorific=form["honorific"] if form else None,
                display_name=form["display_name"] if form else shown or None,
                state=row["country_name"].strip() or None,
                district=row["pcon_code"].strip(),
                district_name=constituency,
                party=row["party_text"].strip() or None,
                email=None if email in ("", NO_EMAIL) else email,
                website=f"https://members.parliament.uk/member/{row['member_id'].strip()}/contact",
                postal=fill_postal(postal_template, f"{name} MP"),
                notes=note,
            )
        )
    check_count(what, len(people), 640 - len(vacancies), 650)
    if len(people) + len(vacancies) > 650:
        raise DataError(f"{what}: {len(people)} MPs and {len(vacancies)} vacant seats, more than the 650 seats")
    people.sort(key=lambda p: p["district_name"])
    vacancies.sort(key=lambda v: v["district_name"])
    council_map: dict[str, Any] = {c: sorted(v) for c, v in sorted(councils.items())}
    return {"people": people, "geo": {"councils": council_map}, "vacancies": vacancies}
