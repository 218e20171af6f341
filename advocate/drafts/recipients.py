"""Whom a letter goes to — the one resolver `write` and `batch` share.

`write` names the flag to give (and, on a terminal, asks); `batch` names the CSV column, as the
row's reason in errors.csv. The rules are the same: one district, and a lawmaker in its seat.
"""

from collections.abc import Mapping
from typing import Any

from advocate.errors import InputProblem, LookupFailed, MissingInput, RowProblem
from advocate.lookup.common import vacant_line
from advocate.lookup.countries import BY_CODE, COUNTRIES
from advocate.places import ordinal
from advocate.records import Person


def find_recipients(country: str | None, to_ids: list[str], template: str, **options: Any) -> list[Person]:
    """Whom to write to (`write`): the --to ids, or the lawmakers for the place given (one district only)."""
    from advocate.lookup import people as reps
    from advocate.opendata import store
    from advocate.templates import letters as templates

    if to_ids:
        return [reps.show(i) for i in to_ids]
    if not country:
        raise MissingInput("--country", "Which country are your lawmakers in?", ["US", "GB", "DE", "FR", "INTL"])
    key = store.dataset_for(country)
    if key == "intl":
        letters = templates.family(template)
        fitting = [p for p in reps.lookup_intl().people if any(templates.suits(x, p) for x in letters)]
        if not fitting:
            ids = ", ".join(p["id"] for p in reps.lookup_intl().people)
            raise InputProblem(
                f"letter {template!r} is not for an international recipient; give --to with one of {ids}"
            )
        return fitting
    return lawmakers(country, options)


def lawmakers(
    country: str, area: Mapping[str, Any], *, every_district: bool = False, row: bool = False
) -> list[Person]:
    """The lawmakers for a place; more than one district is an error unless ``every_district``.

    ``row``: the problem is an attendee row's (RowProblem naming columns) rather than a flag's.
    A vacant seat has no one to write to: the other recipients (US: the senators) still get the letter and
    ``vacancy_note`` says so; with no one else it is an error that points to the Government.
    """
    from advocate.lookup import lookup
    from advocate.opendata import store

    if not any(v is not None for v in area.values()):
        if row:
            raise RowProblem("no postcode, ZIP or constituency to look up")
        rules = COUNTRIES[store.dataset_for(country)]
        raise MissingInput(rules.ask or "--country", rules.question or "Which place?")
    result = lookup(country, **area)
    if result.map_changed and not result.map_changed["district_given"] and area.get("zip_code") is not None:
        _map_changed(result, row)
    if result.ambiguous and not every_district:
        _ambiguous(result, row)
    if not result.people:
        where = "; ".join(d["name"] for d in result.districts)
        if result.vacancies:
            why = "; ".join(vacant_line(v) for v in result.vacancies) + ", so there is no one to write to for that seat"
            gov = f"advocate reps lookup --country {result.country} --government"
            if row:
                raise RowProblem(f"{why}; write to the Government instead (see `{gov}`)")
            raise LookupFailed(f"{why}; write to the Government instead (`{gov}`), or to someone else with --to ID")
        why = f"no lawmaker in the data for {where or 'this place'} ({'; '.join(result.notes) or 'the seat is vacant'})"
        if row:
            raise RowProblem(why)
        raise LookupFailed(f"{why}; write to someone else with --to ID (advocate reps search NAME)")
    return result.people


def vacancy_note(country: str, area: Mapping[str, Any]) -> str | None:
    """For `write`: the line saying a seat is vacant and who gets the letter instead; None when no seat is."""
    from advocate.lookup import lookup

    if not any(v is not None for v in area.values()):
        return None
    result = lookup(country, **area)
    if not result.vacancies or not result.people:
        return None
    seats = "; ".join(vacant_line(v) for v in result.vacancies)
    others = ", ".join(p["name"] for p in result.people)
    return f"{seats}, so there is no one to write to for that seat; the letter goes to the other recipients: {others}."


def outside_note(recipients: list[Person], area: Mapping[str, Any]) -> str | None:
    """For `write --to ID`: the line saying a lawmaker does not represent the ZIP or postcode given, which the
    letter calls the sender's own (an office sets aside a letter from outside its district); None otherwise."""
    from advocate.errors import AdvocateError
    from advocate.lookup import lookup
    from advocate.templates.greeting import place

    for p in recipients:
        option = {"US": "zip_code", "DE": "postcode", "FR": "postcode"}.get(str(p.get("country")), "")
        value = area.get(option) if option else None
        if not value or p.get("chamber") == "government" or not p.get("district_name") and not p.get("state"):
            continue
        try:
            found = lookup(p["country"], **{option: value})
        except AdvocateError:
            continue
        if p["id"] not in {q["id"] for q in found.people + found.also}:
            where = place(p) or "their district"
            return (
                f"Note: {value} is not in {where}, which {p['name']} represents, but the letter says you are a "
                "constituent; offices set aside letters from outside their district (leave out --to to write to "
                "your own lawmakers)."
            )
    return None


def _candidates(result: Any) -> list[str]:
    """One "district: names" per candidate district (the lawmakers of that district, or "vacant")."""
    out = []
    for d in result.districts:
        names = [p["name"] for p in result.people if p.get("district") == d["id"]]
        names += ["the seat is vacant" for v in result.vacancies if v.get("district") == d["id"]]
        out.append(f"{d['name']}: {', '.join(names) or 'no one in the data'}")
    return out


def _map_changed(result: Any, row: bool) -> None:
    change = result.map_changed
    states = " and ".join(change["state_names"])
    why = (
        f"the congressional district map of {states} changed for the {ordinal(change['congress'])} Congress and the "
        f"ZIP table predates it, so the ZIP cannot tell the House district"
    )
    if row:
        raise RowProblem(f"{why}; add a district column for this row (find it at {change['house_finder']})")
    raise MissingInput(
        "--district",
        f"The district map changed; your House district number (find it at {change['house_finder']})?",
        message=f"{why}; find your district at {change['house_finder']} and give --district N",
    )


def _ambiguous(result: Any, row: bool) -> None:
    if row:
        raise RowProblem(_ambiguous_row(result))
    rules = BY_CODE[result.country]
    flag = rules.narrow or "--country"
    choices = [d["id"].split("-")[-1].lstrip("0") or "0" if rules.narrow_by_number else d["name"]
               for d in result.districts]  # fmt: skip
    if len(choices) <= 4:
        names = "; ".join(f"{c} = {cand}" for c, cand in zip(choices, _candidates(result), strict=True))
    else:
        names = f"{len(choices)} of them: {', '.join(choices)}"
    label = {"zip": "ZIP", "wahlkreis": "Wahlkreis"}
    where = next(f"{label.get(k, k)} {v}" for k, v in result.query.items() if v is not None)
    raise MissingInput(
        flag,
        f"Several districts match ({names}). Which one is yours?",
        choices,
        f"{where} lies in more than one district ({names}); choose yours with {flag} "
        "(a letter from outside a lawmaker's district is usually set aside)",
    )


def _ambiguous_row(result: Any) -> str:
    """ "ZIP 10024 lies in New York's 12th (Nadler) or 13th (Espaillat); …": the candidates, each with its member."""
    label = {"zip": "ZIP", "wahlkreis": "Wahlkreis", "postcode": "postcode"}
    where = next((f"{label.get(k, k)} {v}" for k, v in result.query.items() if v is not None), "this place")
    names, numbers = [], []
    prefix = ""
    for d in result.districts:
        name = d["name"].removesuffix(" district").replace(" circonscription)", ")")
        if "'s " in name:
            head, _, tail = name.partition("'s ")
            name = tail if prefix == head else name
            prefix = head
        members = [p.get("family_name") or p["name"] for p in result.people if p.get("district") == d["id"]]
        members += ["vacant" for v in result.vacancies if v.get("district") == d["id"]]
        names.append(f"{name} ({', '.join(members)})" if members else name)
        numbers.append(d["id"].split("-")[-1].lstrip("0") or "0")
    if len(names) > 6:
        listed = f"one of {len(names)} districts: {', '.join(names[:4])}, …"
    else:
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    column = {"US": "district", "DE": "wahlkreis (or district)", "FR": "circo (or district)"}.get(
        result.country, "district"
    )
    values = " or ".join(numbers) if len(numbers) <= 6 else f"{numbers[0]}–{numbers[-1]}"
    return (
        f"{where} lies in {listed}; add a {column} column ({values}) for this row, "
        "or use --ambiguous all to write to every one"
    )
