"""Find a person's lawmakers in the bundled (or updated) data. No typer or rich here."""

import difflib
import re

from advocate.errors import InputProblem, LookupFailed
from advocate.lookup.common import Result, index, people, vacancies, vacant_line, with_as_of, with_relation
from advocate.lookup.fr import department_for_postcode, lookup_fr
from advocate.lookup.us import lookup_us
from advocate.opendata import store
from advocate.places import TERRITORIES
from advocate.records import Person, Vacancy
from advocate.text import fold

__all__ = ["TERRITORIES", "Result", "all_people", "department_for_postcode", "lookup_de", "lookup_fr", "lookup_gb",
           "lookup_intl", "lookup_us", "people", "search", "show", "with_as_of"]  # fmt: skip


# ---------------------------------------------------------------- United Kingdom


def _suggest(name: str, choices: dict[str, str], what: str, flag: str) -> LookupFailed:
    key = fold(name)
    close = difflib.get_close_matches(key, list(choices), n=3, cutoff=0.6)
    close += [k for k in choices if key and key in k and k not in close][: 5 - len(close)]
    hint = f"; did you mean: {'; '.join(choices[k] for k in close)}?" if close else f"; see `advocate reps list {flag}`"
    return LookupFailed(f"no {what} called {name!r}{hint}")


def _gb_seats() -> dict[str, Person | Vacancy]:
    """Folded constituency name → its MP, or its vacancy (a seat, never a person)."""
    data = store.load("gb")
    by_name: dict[str, Person | Vacancy] | None = data.get("_names")
    if by_name is None:
        by_name = {fold(v.get("district_name") or ""): v for v in vacancies("gb").values()}
        by_name.update({fold(p["district_name"] or ""): p for p in data["people"]})
        data["_names"] = by_name
    return by_name


def _add_gb_seat(result: Result, seat: Person | Vacancy, name: str | None = None) -> None:
    result.districts.append({"id": seat.get("district") or "", "name": name or seat.get("district_name") or ""})
    if "id" in seat:
        result.people.append(with_relation(seat, "mp"))  # type: ignore[arg-type]
    else:
        result.vacancies.append(seat)  # type: ignore[arg-type]
        result.notes.append(vacant_line(seat))  # type: ignore[arg-type]


def lookup_gb(constituency: str | None = None, council: str | None = None) -> Result:
    by_name = _gb_seats()
    if constituency is not None:
        seat = by_name.get(fold(constituency))
        if seat is None:
            labels = {k: p.get("district_name") or "" for k, p in by_name.items()}
            raise _suggest(constituency, labels, "UK constituency", "--country GB")
        result = Result("GB", {"constituency": constituency})
        _add_gb_seat(result, seat)
        return result
    if council is not None:
        councils: dict[str, list[str]] = store.load("gb")["geo"]["councils"]
        folded = {fold(c): c for c in councils}
        name = folded.get(fold(council))
        if name is None:
            raise _suggest(council, dict(folded), "UK council", "--country GB")
        result = Result("GB", {"council": name})
        for pcon in councils[name]:
            _add_gb_seat(result, by_name[fold(pcon)], pcon)
        return result
    raise InputProblem("give --constituency NAME or --council NAME for a UK lookup")


# ---------------------------------------------------------------- Germany


def lookup_de(postcode: str | None, wahlkreis: int | None = None) -> Result:
    if postcode is None:
        raise InputProblem("give --postcode (5-digit PLZ) for a German lookup")
    plz = postcode.strip()
    if not re.fullmatch(r"\d{5}", plz):
        raise InputProblem(f"not a German postcode: {postcode!r}; give the 5-digit PLZ, e.g. 10117")
    geo = store.load("de")["geo"]
    numbers = store.table_get(geo["plz"], plz)
    if not numbers:
        raise LookupFailed(
            f"PLZ {plz} is not in the Wahlkreis table (PO-box and large-recipient PLZ are missing); "
            "try the PLZ of your street"
        )
    if wahlkreis is not None:
        narrowed = [n for n in numbers if int(n) == wahlkreis]
        if not narrowed:
            raise LookupFailed(
                f"--wahlkreis {wahlkreis} does not cover PLZ {plz} (it lies in {', '.join(numbers)}); "
                "pick one of those or leave --wahlkreis out"
            )
        numbers = narrowed
    result = Result("DE", {"postcode": plz, "wahlkreis": wahlkreis})
    idx = index("de")
    states = set()
    for number in numbers:
        wk = geo["wahlkreise"][number]
        states.add(wk["state"])
        result.districts.append({"id": number, "name": f"Wahlkreis {number} {wk['name']}", "state": wk["state"]})
        members = idx["district"].get(number, [])
        if not any(p["mandate"] == "direct" for p in members):
            result.notes.append(f"Wahlkreis {number} has no directly elected member in this data")
        result.people += [with_relation(p, p["mandate"] or "") for p in members]
    chosen = {p["id"] for p in result.people}
    result.also = [
        with_relation(p, "state-list")
        for state in sorted(states)
        for p in idx["state"].get(state, [])
        if p["mandate"] == "list" and p["id"] not in chosen
    ]
    return result


# ---------------------------------------------------------------- everyone


def lookup_intl() -> Result:
    result = Result("INTL", {})
    result.people = [with_relation(p, "recipient") for p in people("intl")]
    return result


def all_people(country: str | None = None, state: str | None = None) -> list[Person]:
    """Everyone (in one country's data), or only those of one state / Land / département."""
    keys = [store.dataset_for(country)] if country else list(store.DATASETS)
    found = [p for key in keys for p in people(key)]
    if state:
        wanted = state.strip().casefold()
        found = [p for p in found if (p.get("state") or "").casefold() == wanted]
    return found


def show(person_id: str) -> Person:
    wanted = person_id.strip().lower()
    prefix = wanted.split("-", 1)[0]
    keys = [prefix] if prefix in store.DATASETS else list(store.DATASETS)
    if prefix in ("icc", "un", "ru"):
        keys = ["intl"]
    for key in keys:
        for p in people(key):
            if p["id"].lower() == wanted:
                return p
    raise LookupFailed(f"no one with id {person_id!r}; find ids with `advocate reps search NAME`")


def search(text: str, country: str | None = None) -> list[Person]:
    words = fold(text).split()
    if not words:
        raise InputProblem("give some letters of a name to search for")
    found = []
    for p in all_people(country):
        haystack = fold(p["name"])
        if all(w in haystack for w in words):
            found.append(p)
    return found
