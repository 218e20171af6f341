"""US Congress: unitedstates/congress-legislators (members, district offices) and ZCTA → district."""

import csv
import io
import re
from typing import Any

from ..errors import DataError
from ..places import STATE_NAMES, TERRITORIES, district_key, district_name
from .common import Dataset, Person, check_count, encode_table, load_yaml, need, person
from .openstates import choose_form, parse_openstates

_DC_ADDRESS = re.compile(r"^(?P<street>.*?),?\s+Washington,?\s+DC,?\s+(?P<zip>\d{5}(?:-\d{4})?)$", re.IGNORECASE)


def _postal(name: str, chamber: str, address: str | None) -> list[str]:
    body = "United States Senate" if chamber == "senate" else "United States House of Representatives"
    lines = [f"The Honorable {name}", body]
    if address:
        match = _DC_ADDRESS.match(address.strip())
        if match:
            lines += [match["street"].strip(), f"Washington, DC {match['zip']}"]
        else:
            lines.append(address.strip())
    return lines


def _office(raw: dict[str, Any]) -> dict[str, Any]:
    lines = [str(raw[k]) for k in ("building", "address", "suite") if raw.get(k)]
    city = ", ".join(str(raw[k]) for k in ("city", "state") if raw.get(k))
    lines.append(f"{city} {raw.get('zip') or ''}".strip())
    return {"city": raw.get("city"), "lines": lines, "phone": raw.get("phone")}


def _member(raw: dict[str, Any], offices: dict[str, list[dict[str, Any]]], forms: dict[str, str | None]) -> Person:
    what = "us/legislators-current.yaml"
    bioguide = need(need(raw, "id", what), "bioguide", what)
    names = need(raw, "name", what)
    name = names.get("official_full") or f"{need(names, 'first', what)} {need(names, 'last', what)}"
    term = need(raw, "terms", what)[-1]
    state = need(term, "state", what)
    kind = need(term, "type", what)
    if kind == "sen":
        chamber, role, body = "senate", "Senator", "United States Senate"
        district = dname = None
    elif kind == "rep":
        chamber, body = "house", "United States House of Representatives"
        role = "Resident Commissioner" if state == "PR" else "Delegate" if state in TERRITORIES else "Representative"
        number = int(term.get("district") or 0)
        district, dname = district_key(state, number), district_name(state, number)
    else:
        raise DataError(f"{what}: member {bioguide} has unknown term type {kind!r}")
    return person(
        id=f"us-{bioguide}",
        name=name,
        given_name=names.get("nickname") or names.get("first"),
        family_name=names.get("last"),
        country="US",
        body=body,
        chamber=chamber,
        role=role,
        language="en",
        gender=(raw.get("bio") or {}).get("gender"),
        state=state,
        district=district,
        district_name=dname,
        party=term.get("party"),
        contact_form=choose_form(term.get("contact_form"), forms.get(bioguide)),
        website=term.get("url"),
        phone=term.get("phone"),
        postal=_postal(name, chamber, term.get("address")),
        offices=offices.get(bioguide, []),
    )


def parse_zccd(raw: bytes) -> dict[str, list[str]]:
    """ZCTA → sorted district keys ("NY-12"), from zccd.csv (state_fips,state_abbr,zcta,cd)."""
    what = "us/zccd.csv"
    try:
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), strict=True)
        table: dict[str, set[str]] = {}
        for row in reader:
            zcta, state, cd = row.get("zcta"), row.get("state_abbr"), row.get("cd")
            if not zcta or not state or cd is None or not cd.strip().isdigit():
                raise DataError(f"{what}:{reader.line_num}: expected columns zcta, state_abbr, cd")
            table.setdefault(zcta.zfill(5), set()).add(district_key(state, int(cd)))
    except (UnicodeDecodeError, csv.Error) as err:
        raise DataError(f"{what}: not valid UTF-8 CSV ({err})") from None
    if len(table) < 30000:
        raise DataError(f"{what}: only {len(table)} ZCTAs, expected at least 30,000; refusing this file")
    return {z: sorted(ds) for z, ds in sorted(table.items())}


# The 2020 Census state FIPS codes (the first two digits of a congressional-district GEOID).
STATE_FIPS = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE", "11": "DC",
    "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT",
    "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT",
    "50": "VT", "51": "VA", "53": "WA", "54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP",
    "72": "PR", "78": "VI",
}  # fmt: skip
# OpenSourceActivismTech/us-zipcodes-congress's zccd.csv is built for the 119th Congress (its README); the file
# itself does not say so.
ZCCD_CONGRESS = 119
_CENSUS_CD = re.compile(r"^GEOID_CD(?P<congress>\d{3})_\d{2}$")
_CENSUS_ZCTA = re.compile(r"^GEOID_ZCTA5_\d{2}$")
CENSUS_WHAT = "the Census ZCTA ↔ congressional district file"


def parse_census_zcta_cd(raw: bytes, minimum: int = 30000) -> tuple[dict[str, list[str]], int]:
    """(ZCTA → sorted district keys, the Congress number) from the Census Bureau's ZCTA ↔ congressional-district
    relationship file (pipe-delimited, UTF-8 BOM; e.g. tab20_cd11920_zcta520_natl.txt).

    The Congress is read from the header (GEOID_CD119_20 → 119). A district GEOID is the state FIPS code and two
    digits: 00 is an at-large seat and 98 a delegate (DC, PR), both district 0 here; ``ZZ`` (no district defined)
    and rows without a ZCTA are skipped.
    """
    what = CENSUS_WHAT
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{what}: not UTF-8 ({err.reason} at byte {err.start})") from None
    lines = text.splitlines()
    header = lines[0].split("|") if lines else []
    cd_cols = [(i, m) for i, col in enumerate(header) if (m := _CENSUS_CD.match(col.strip()))]
    zcta_cols = [i for i, col in enumerate(header) if _CENSUS_ZCTA.match(col.strip())]
    if len(cd_cols) != 1 or len(zcta_cols) != 1:
        raise DataError(
            f"{what}: the header has no single GEOID_CD<congress>_20 and GEOID_ZCTA5_20 column;"
            " expected the Census Bureau's pipe-delimited relationship file"
        )
    (cd_col, match), zcta_col = cd_cols[0], zcta_cols[0]
    congress = int(match["congress"])
    table: dict[str, set[str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("|")
        if len(fields) != len(header):
            raise DataError(f"{what}:{number}: {len(fields)} fields, the header has {len(header)}")
        geoid, zcta = fields[cd_col].strip(), fields[zcta_col].strip()
        if not zcta or not geoid or geoid.upper().endswith("ZZ"):
            continue
        state = STATE_FIPS.get(geoid[:2])
        if len(geoid) != 4 or state is None or not geoid[2:].isdigit() or not (zcta.isdigit() and len(zcta) == 5):
            raise DataError(f"{what}:{number}: district {geoid!r}, ZCTA {zcta!r}; expected e.g. 0101 and 35004")
        district = int(geoid[2:])
        table.setdefault(zcta, set()).add(district_key(state, 0 if district in (0, 98) else district))
    if len(table) < minimum:
        raise DataError(f"{what}: only {len(table)} ZCTAs, expected at least {minimum:,}; refusing this file")
    return {z: sorted(ds) for z, ds in sorted(table.items())}, congress


def parse_zip_table(raw: bytes) -> tuple[dict[str, list[str]], int]:
    """The ZIP table and its Congress from either zccd.csv or the Census relationship file (told by its header)."""
    head = raw[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    if head and "|" in head[0] and "GEOID_CD" in head[0]:
        return parse_census_zcta_cd(raw)
    return parse_zccd(raw), ZCCD_CONGRESS


def vacancies(zctas: dict[str, list[str]], people: list[Person]) -> list[dict[str, Any]]:
    """House seats without a member: a district of the ZIP table that no member holds (CA-14, FL-20, GA-13 and
    TX-23 in the bundled snapshot). A vacant delegate seat of a territory without ZCTAs (GU, VI, AS, MP) cannot be
    seen from these files."""
    held = {p["district"] for p in people if p["chamber"] == "house"}
    out = []
    for key in sorted({d for ds in zctas.values() for d in ds} - held):
        state, _, number = key.rpartition("-")
        out.append(
            {
                "country": "US",
                "chamber": "house",
                "state": state,
                "district": key,
                "district_name": district_name(state, int(number)),
                "note": "no member for this seat in legislators-current.yaml",
            }
        )
    return out


def parse_us(legislators: bytes, offices: bytes, zccd: bytes, openstates: bytes | None = None) -> Dataset:
    """``openstates``: the Open States archive for contact forms (without it, congress-legislators' own)."""
    members_raw = load_yaml(legislators, "us/legislators-current.yaml")
    offices_raw = load_yaml(offices, "us/legislators-district-offices.yaml")
    if not isinstance(members_raw, list):
        raise DataError("us/legislators-current.yaml: expected a list of members")
    office_map: dict[str, list[dict[str, Any]]] = {}
    for entry in offices_raw if isinstance(offices_raw, list) else []:
        bioguide = (entry.get("id") or {}).get("bioguide")
        if bioguide:
            office_map[bioguide] = [_office(o) for o in entry.get("offices") or []]
    forms = parse_openstates(openstates) if openstates is not None else {}
    people = [_member(m, office_map, forms) for m in members_raw]
    check_count("us/legislators-current.yaml", len(people), 530, 545)
    people.sort(key=lambda p: (p["state"], p["chamber"] != "senate", p["district"] or "", p["name"]))
    zctas, congress = parse_zip_table(zccd)
    districts = sorted({d for ds in zctas.values() for d in ds} | {p["district"] for p in people if p["district"]})
    return {
        "people": people,
        "vacancies": vacancies(zctas, people),
        "geo": {
            "zcta": encode_table(zctas),
            "districts": districts,
            "states": {code: STATE_NAMES[code] for code in sorted(STATE_NAMES)},
        },
        "meta": {"zip_congress": congress},  # the Congress whose district maps the ZIP table follows
    }
