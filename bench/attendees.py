"""A deterministic generator of attendee CSVs for the batch benchmark and tests.

Real places from the bundled data (US ZIPs with their district, UK constituencies, German PLZ with
their Wahlkreis, French postcodes with a circonscription), a mix of countries, about 10% non-ASCII
names, and some quoted commas and line breaks.

    python bench/attendees.py 10000 > attendees.csv
"""

import csv
import random
import sys
from typing import IO

FIRST = ["Alex", "Sam", "Jordan", "Taylor", "Chris", "Robin", "Kim", "Lee", "Morgan", "Jamie", "Casey", "Drew"]
LAST = ["Smith", "Jones", "Brown", "Miller", "Davis", "Wilson", "Moore", "Clark", "Hall", "Young", "King", "Wright"]
NON_ASCII = ["Éloïse Núñez", "Jürgen Groß", "Zoë Ångström", "Łukasz Wójcik", "Ana María Peña", "Søren Ærø",
             "Çağla Öztürk", "François Lefèvre", "Dvořák Jiří", "Ольга Петрова"]  # fmt: skip
PERSONAL = [
    "",
    "",
    "I have friends who had to flee in 2017.",
    'My partner and I, both "out" at work, think of those who cannot be.',
    "I march every June.\nThis year I march for them.",
]


def places(seed: int = 7) -> dict[str, list[dict[str, str]]]:
    """A pool of unambiguous places per country, taken from the bundled data."""
    from advocate.lookup import people as reps
    from advocate.opendata import store

    rng = random.Random(seed)
    us_table = store.table_items(store.load("us")["geo"]["zcta"])
    house = {p["district"] for p in store.load("us")["people"] if p["chamber"] == "house"}
    zips = sorted(z for z, ds in us_table.items() if all(d in house for d in ds))
    us = []
    for z in rng.sample(zips, 400):
        district = rng.choice(us_table[z]).split("-")[1]
        us.append({"zip": z, "district": district})
    gb = [{"constituency": p["district_name"]} for p in store.load("gb")["people"]]
    de_table = store.table_items(store.load("de")["geo"]["plz"])
    seated = {p["district"] for p in store.load("de")["people"] if p["district"]}
    de = []
    for plz, wks in rng.sample(sorted(de_table.items()), 500):
        with_members = [wk for wk in wks if wk in seated]  # a few Wahlkreise have no member in the data
        if with_members and len(de) < 400:
            de.append({"zip": plz, "district": rng.choice(with_members).lstrip("0")})
    fr = []  # one code postal per metropolitan département, with one of the circonscriptions it touches
    fr_table = store.table_items(store.load("fr")["geo"]["postcodes"])
    for dept in sorted(store.load("fr")["geo"]["departments"]):
        if dept.isdigit() and len(dept) == 2 and dept not in ("20",):
            postcode = min(code for code, keys in fr_table.items() if keys[0].startswith(dept + "-"))
            fr.append({"zip": postcode, "district": str(int(rng.choice(fr_table[postcode]).rsplit("-", 1)[1]))})
    reps.lookup_gb(gb[0]["constituency"])  # the pools must look up
    return {"US": us, "GB": gb, "DE": de, "FR": fr}


def write(n: int, out: IO[str], seed: int = 2017) -> None:
    rng = random.Random(seed)
    pool = places()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "country", "zip", "district", "constituency", "email", "address", "personal", "city"])
    countries = ["US"] * 5 + ["GB"] * 2 + ["DE"] * 2 + ["FR"]
    for i in range(n):
        country = rng.choice(countries)
        place = rng.choice(pool[country])
        if rng.random() < 0.1:
            name = rng.choice(NON_ASCII)
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"attendee{i}@example.org"
        address = f"{rng.randint(1, 400)} Main Street, Apt {rng.randint(1, 30)}" if rng.random() < 0.5 else ""
        writer.writerow([name, country, place.get("zip", ""), place.get("district", ""), place.get("constituency", ""),
                         email, address, rng.choice(PERSONAL), ""])  # fmt: skip


if __name__ == "__main__":
    write(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, sys.stdout)
