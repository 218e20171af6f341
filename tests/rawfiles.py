"""Raw upstream files, in their upstream formats, rebuilt from the bundled datasets.

The update tests serve these from 127.0.0.1 instead of the real raw files (../shared/data is beside a CI
clone but not beside every user's clone). Each builder is small and deterministic: the bundled people in,
the bytes the upstream repository would serve out; parsing them gives the bundled people back.
"""

import csv
import io
import json

import yaml

from advocate.importer.gb import COLUMNS as GB_COLUMNS
from advocate.opendata import store

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def bundled(key):
    """The bundled copy of a dataset (never the user's copy)."""
    return json.loads(store.paths(key)[1].read_bytes())


def _yaml(value):
    return yaml.dump(value, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


# ---------------------------------------------------------------- US: congress-legislators, zccd.csv


def us_legislators(people):
    """legislators-current.yaml: id.bioguide, name, bio.gender and one (the current) term per member."""
    records = []
    for p in people:
        ch = p["channels"]
        term = {"type": "sen" if p["chamber"] == "senate" else "rep", "state": p["state"]}
        if p["district"]:
            term["district"] = int(p["district"].rsplit("-", 1)[1])
        term.update(party=p["party"], url=ch["website"], phone=ch["phone"], contact_form=ch["contact_form"])
        if len(ch["postal"]) == 4:  # The Honorable …, chamber, street, Washington, DC zip
            term["address"] = f"{ch['postal'][2]} Washington DC {ch['postal'][3].rsplit(' ', 1)[1]}"
        term = {k: v for k, v in term.items() if v is not None}
        records.append(
            {
                "id": {"bioguide": p["id"].removeprefix("us-")},
                "name": {"first": p["given_name"], "last": p["family_name"], "official_full": p["name"]},
                "bio": {"gender": p["gender"]},
                "terms": [term],
            }
        )
    return _yaml(records)


def _office(office):
    *street, last = office["lines"]
    raw = dict(zip(("building", "address", "suite")[3 - len(street) :], street, strict=True))
    city = office["city"]
    state_zip = last.removeprefix(f"{city}, ") if city else last
    state, _, zip_code = state_zip.partition(" ")
    raw.update(city=city, state=state or None, zip=zip_code or None, phone=office["phone"])
    return {k: v for k, v in raw.items() if v is not None}


def us_offices(people):
    """legislators-district-offices.yaml: per member id.bioguide and offices[]."""
    return _yaml(
        [
            {"id": {"bioguide": p["id"].removeprefix("us-")}, "offices": [_office(o) for o in p["channels"]["offices"]]}
            for p in people
            if p["channels"]["offices"]
        ]
    )


def us_zccd(zcta_table):
    """zccd.csv: state_fips,state_abbr,zcta,cd — one row per ZCTA and district."""
    out = io.StringIO()
    out.write("state_fips,state_abbr,zcta,cd\n")
    for zcta, districts in store.table_items(zcta_table).items():
        for district in districts:
            state, number = district.rsplit("-", 1)
            out.write(f"00,{state},{zcta},{number}\n")
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- GB: mp_lookup.csv


def gb_mp_lookup(people, councils, columns=GB_COLUMNS):
    """mp_lookup.csv: one row per constituency (only the columns the importer reads)."""
    by_constituency = {}
    for council, constituencies in councils.items():
        for name in constituencies:
            by_constituency.setdefault(name, []).append(council)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    for p in people:
        email = p["channels"]["email"]
        row = {
            "pcon_name": p["district_name"],
            "pcon_code": p["district"],
            "member_id": p["id"].removeprefix("gb-"),
            "full_title": f"{p['name']} MP",
            "display_as": p["display_name"] or p["name"],
            "party_text": p["party"] or "",
            "member_email": email["address"] if email else "No email found",
            "lad_names": " / ".join(by_constituency.get(p["district_name"], [])),
            "country_name": p["state"] or "",
        }
        writer.writerow([row[c] for c in GB_COLUMNS])
    return out.getvalue().encode("utf-8")


def gb_current_mps(people):
    """current-MPs.csv (open-innovations): one row per MP it knows (those with a gender), the columns read."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["PCON24CD", "PCON24NM", "MP", "Gender", "ID"])
    for p in people:
        if p["gender"]:
            writer.writerow([p["district"], p["district_name"], p["display_name"], p["gender"], p["id"][3:]])
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- changed copies


def newcomer(p, n):
    """A new member in ``p``'s seat: another id, name and e-mail, the same district."""
    q = json.loads(json.dumps(p))
    prefix = p["id"].split("-", 1)[0]
    q["id"] = f"{prefix}-Z{n:06d}" if prefix == "us" else f"{prefix}-{990000 + n}"
    q["given_name"], q["family_name"] = "Alex", f"Newmember{n}"
    q["name"] = f"Alex Newmember{n}"
    if q.get("display_name"):
        q["display_name"], q["honorific"] = q["name"], None
    if q["channels"]["email"]:
        # on the seat holder's own domain, as a new member's address would be (the allow-lists hold it)
        domain = {"gb": "parliament.uk", "de": "bundestag.de", "fr": "assemblee-nationale.fr"}.get(prefix, "house.gov")
        q["channels"]["email"]["address"] = f"alex.newmember{n}.mp@{domain}"
    if len(q["channels"]["postal"]) == 4:
        q["channels"]["postal"][0] = f"The Honorable {q['name']}"
    return q


def replace_members(people, ids):
    """``people`` with the members ``ids`` replaced by newcomers (by-elections): "3 left, 3 joined"."""
    out, n = [], 0
    for p in people:
        if p["id"] in ids:
            n += 1
            out.append(newcomer(p, n))
        else:
            out.append(p)
    return out


# ---------------------------------------------------------------- FR: Datan's deputes-active.csv, the postcode table

FR_COLUMNS = ["id", "civ", "nom", "prenom", "groupe", "departementNom", "departementCode", "circo", "mail", "website"]


def fr_deputes(people, departments):
    """deputes-active.csv (Datan's columns that the importer reads), one row per député."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FR_COLUMNS)
    for p in people:
        dept, _, circo = p["district"].rpartition("-")
        email = p["channels"]["email"]
        website = (p["channels"].get("website") or "").removeprefix("https://")
        writer.writerow([p["id"].removeprefix("fr-"), "Mme" if p["gender"] == "F" else "M.", p["family_name"],
                         p["given_name"], p["party"] or "", departments[dept]["name"], dept, int(circo),
                         email["address"] if email else "", website])  # fmt: skip
    return out.getvalue().encode("utf-8")


def fr_postcodes(table):
    """plz-circonscription.json: code postal → circo codes (département + two digits; overseas letters)."""
    from advocate.importer.fr import OVERSEAS

    letters = {dept: letter for letter, dept in OVERSEAS.items()}
    out = {}
    for postcode, keys in store.table_items(table).items():
        out[postcode] = [
            f"{letters.get(k.rpartition('-')[0], k.rpartition('-')[0])}{k.rpartition('-')[2]}" for k in keys
        ]
    return json.dumps(out).encode("utf-8")


# ---------------------------------------------------------------- US: the Census relationship file

CENSUS_HEADER = (
    "OID_CD{c}_20|GEOID_CD{c}_20|NAMELSAD_CD{c}_20|AREALAND_CD{c}_20|AREAWATER_CD{c}_20|MTFCC_CD{c}_20|"
    "FUNCSTAT_CD{c}_20|OID_ZCTA5_20|GEOID_ZCTA5_20|NAMELSAD_ZCTA5_20|AREALAND_ZCTA5_20|AREAWATER_ZCTA5_20|"
    "MTFCC_ZCTA5_20|CLASSFP_ZCTA5_20|FUNCSTAT_ZCTA5_20|AREALAND_PART|AREAWATER_PART"
)


def census_row(geoid, zcta):
    zcols = [f"22{zcta}", zcta, f"ZCTA5 {zcta}", "1000", "0", "G6350", "B5", "S"] if zcta else [""] * 8
    return "|".join([f"20{geoid}", geoid, "Congressional District", "1000", "0", "G5200", "N", *zcols, "500", "0"])


def census_zcta_cd(rows, congress=120):
    """The Census Bureau's ZCTA ↔ congressional district file: pipe-delimited, UTF-8 BOM, the Congress in the header."""
    text = "\ufeff" + CENSUS_HEADER.format(c=congress) + "\n" + "".join(census_row(g, z) + "\n" for g, z in rows)
    return text.encode("utf-8")


def census_rows(zcta_table, moved=None):
    """(GEOID, ZCTA) rows for the whole table; ``moved`` {zcta: [district keys]} redraws some ZCTAs."""
    from advocate.importer.us import STATE_FIPS

    fips = {abbr: code for code, abbr in STATE_FIPS.items()}
    rows = []
    for zcta, districts in {**store.table_items(zcta_table), **(moved or {})}.items():
        for d in districts:
            state, number = d.rsplit("-", 1)
            delegate = state in ("DC", "PR") and number == "0"
            rows.append((f"{fips[state]}{98 if delegate else int(number):02d}", zcta))
    return rows
