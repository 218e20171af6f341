"""Attendee rows: which column is which, and what one row asks for. No typer or rich here."""

import re
from typing import Any

from advocate.batch import csvin
from advocate.errors import InputProblem, RowProblem

# canonical column → the header spellings accepted for it (after trimming and lower-casing)
COLUMNS = {
    "name": ("name", "full name", "fullname"),
    "country": ("country",),
    "zip": ("zip", "zipcode", "zip code", "zip_code"),
    "postcode": ("postcode", "postal code", "postal_code", "plz", "code postal", "code_postal"),
    "district": ("district",),
    "state": ("state",),
    "constituency": ("constituency",),
    "council": ("council",),
    "wahlkreis": ("wahlkreis",),
    "department": ("department", "departement", "département"),
    "circo": ("circo", "circonscription"),
    "email": ("email", "e-mail", "mail"),
    "address": ("address",),
    "city": ("city", "town"),
    "personal": ("personal", "personal paragraph", "message"),
}  # fmt: skip
ONE_LINE = ("name", "country", "zip", "postcode", "district", "state", "constituency", "council", "wahlkreis",
            "department", "circo", "email", "city")  # fmt: skip


def _loose(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).lower()


def map_header(header: list[str]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """(canonical column → index, extra column → index, warnings about forgiving matches).

    A documented spelling in any case (``plz``, ``ZIP``, ``E-mail``) is read silently; a warning names only
    the columns read by a looser match (spaces around or inside the name, ``_`` or ``-`` for a space).
    A US ``zip`` column and a ``postcode`` column may stand side by side: each row uses the one its
    country needs (read_row), so an international sheet works.
    """
    known: dict[str, int] = {}
    extra: dict[str, int] = {}
    warnings = []
    spelled = {alias: canon for canon, aliases in COLUMNS.items() for alias in aliases}
    loose = {_loose(alias): canon for alias, canon in spelled.items()}
    for index, raw in enumerate(header):
        cleaned = raw.strip()
        canon = spelled.get(raw.lower())
        if canon is None:
            canon = loose.get(_loose(cleaned))
            if canon is None:
                extra[cleaned or f"column{index + 1}"] = index
                continue
            warnings.append(f"column {raw!r} is read as {canon!r}")
        if canon in known:
            raise InputProblem(f"the header has two {canon!r} columns ({header[known[canon]]!r} and {raw!r})")
        known[canon] = index
    if "name" not in known:
        raise InputProblem(f"the header has no 'name' column (it has: {', '.join(h.strip() for h in header)})")
    return known, extra, warnings


# Control and invisible format characters (bidi overrides, zero-width spaces) never belong in a cell;
# line breaks only in the multi-line columns (address, personal and extra columns).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_BREAK = re.compile("[\r\n\x85\u2028\u2029]")


def _bad_characters(column: str, value: str) -> str | None:
    bad = _CONTROL.search(value)
    if bad:
        return f"a control character U+{ord(bad.group()):04X} in the {column} column"
    if column in ONE_LINE and _BREAK.search(value):
        return f"a line break in the {column} column (it would land in a header or a file name)"
    return None


def read_row(
    row: csvin.Row, width: int, known: dict[str, int], extra: dict[str, int], default_country: str | None
) -> dict[str, Any]:
    if len(row.fields) != width:
        many = "many" if len(row.fields) > width else "few"
        raise RowProblem(
            f"too {many} fields: {len(row.fields)}, the header has {width} (check the quotes and delimiters)"
        )
    values = {canon: row.fields[i].strip() for canon, i in known.items()}
    if _CONTROL.search("".join(row.fields)) or _BREAK.search("".join(values.get(c, "") for c in ONE_LINE)):
        for column, value in [*values.items(), *((k, row.fields[i]) for k, i in extra.items())]:
            problem = _bad_characters(column, value)
            if problem:
                raise RowProblem(problem)
    if not values.get("name"):
        raise RowProblem("the name is empty")
    country = values.get("country") or default_country
    if not country:
        raise RowProblem("no country: add a country column (US, GB, DE, FR) or give --country")
    postcode = values.pop("postcode", None)
    if postcode is not None:  # a ZIP column for US rows, a postcode column for the others
        us = country.strip().upper() in ("US", "USA")
        values["zip"] = (values.get("zip") or postcode) if us else (postcode or values.get("zip", ""))
    return {"values": values, "country": country, "attendee": {k: row.fields[i] for k, i in extra.items()}}


def _int(value: str, column: str) -> int | None:
    if not value:
        return None
    if not value.strip().isdigit():
        raise RowProblem(f"{column} {value!r} is not a number")
    return int(value)


def area_for(country: str, v: dict[str, str]) -> dict[str, Any]:
    """The lookup options for one row, from whichever columns it has (advocate.lookup.countries)."""
    from advocate.lookup.countries import COUNTRIES, NUMBERS
    from advocate.opendata import store

    rules = COUNTRIES[store.dataset_for(country)]
    if not rules.columns:
        raise RowProblem("batch letters go to lawmakers: country must be US, GB, DE or FR")
    if rules.row_needs and not any(v.get(c) for cs in rules.columns.values() for c in cs):
        raise RowProblem(rules.row_needs)
    area: dict[str, Any] = {}
    for option, columns in rules.columns.items():
        column = next((c for c in columns if v.get(c)), columns[0])
        value = v.get(column) or ""
        area[option] = _int(value, option) if option in NUMBERS else value or None
    return area
