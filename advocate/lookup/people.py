"""Find a person's lawmakers in the bundled (or updated) data. No typer or rich here."""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from advocate.errors import InputProblem, LookupFailed
from advocate.opendata import store
from advocate.places import TERRITORIES, department_code, district_name
from advocate.records import Person
from advocate.text import fold


@dataclass
class Result:
    """The outcome of one lookup: candidate districts and the people for them."""

    country: str
    query: dict[str, Any]
    districts: list[dict[str, str]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # each carries "relation"
    also: list[Person] = field(default_factory=list)  # DE: list MdBs from the same state
    notes: list[str] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return len(self.districts) > 1

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "query": self.query,
            "ambiguous": self.ambiguous,
            "districts": self.districts,
            "representatives": self.people,
            "also_from_state": self.also,
            "notes": self.notes,
        }


def _with(person: Person, relation: str) -> Person:
    return {**person, "relation": relation}


def people(key: str) -> list[Person]:
    result: list[Person] = store.load(key)["people"]
    return result


def _index(key: str) -> dict[str, dict[str, list[Person]]]:
    """People grouped by state and by district, built once per loaded dataset."""
    data = store.load(key)
    index: dict[str, dict[str, list[Person]]] | None = data.get("_index")
    if index is None:
        index = {"state": {}, "district": {}}
        for p in data["people"]:
            index["state"].setdefault(p.get("state") or "", []).append(p)
            index["district"].setdefault(p.get("district") or "", []).append(p)
        data["_index"] = index
    return index


# ---------------------------------------------------------------- United States


def _us_zip(raw: str) -> str:
    match = re.fullmatch(r"\s*(\d{5})(?:-?\d{4})?\s*", raw)
    if not match:
        raise InputProblem(f"not a US ZIP code: {raw!r}; give 5 digits (ZIP+4 is fine), e.g. 10001")
    return match.group(1)


def lookup_us(zip_code: str | None = None, district: int | None = None, state: str | None = None) -> Result:
    data = store.load("us")
    geo = data["geo"]
    state = state.strip().upper() if state else None
    if state and state not in geo["states"]:
        raise LookupFailed(f"unknown US state {state!r}; use the two-letter code, e.g. NY")
    query: dict[str, Any] = {"zip": None, "state": state, "district": district}
    if zip_code is not None:
        code = query["zip"] = _us_zip(zip_code)
        keys = store.table_get(geo["zcta"], code)
        if not keys:
            raise LookupFailed(
                f"ZIP {code} is not in the ZIP → district table (2020 Census ZCTAs; PO-box-only ZIPs have none); "
                "try your home ZIP, or --state XX for your senators"
            )
        if state:
            keys = [k for k in keys if k.startswith(state + "-")]
            if not keys:
                raise LookupFailed(f"ZIP {code} is not in {state}; drop --state or check the ZIP")
    elif state:
        keys = [k for k in geo["districts"] if k.startswith(state + "-")]
    else:
        raise InputProblem("give --zip (or --state XX) for a US lookup")
    if district is not None:
        narrowed = [k for k in keys if int(k.split("-")[1]) == district]
        if not narrowed:
            where = f"ZIP {query['zip']}" if query["zip"] else state
            raise LookupFailed(
                f"--district {district} is not a district of {where} (it covers {', '.join(keys)}); "
                "pick one of those or leave --district out"
            )
        keys = narrowed
    keys = sorted(keys, key=lambda k: (k.split("-")[0], int(k.split("-")[1])))  # NY-2 before NY-10
    states = sorted({k.split("-")[0] for k in keys})
    result = Result("US", query)
    index = _index("us")
    for st in states:
        if st not in TERRITORIES:
            result.people += [_with(p, "senator") for p in index["state"].get(st, []) if p["chamber"] == "senate"]
    for key in keys:
        st, num = key.split("-")
        result.districts.append({"id": key, "name": district_name(st, int(num))})
        if state and zip_code is None and district is None:
            continue  # --state alone: the senators and the list of districts
        reps = index["district"].get(key)
        if reps:
            result.people += [_with(rep, "representative") for rep in reps]
        else:
            result.notes.append(f"{key} is vacant in this data (as of {data['meta']['as_of']})")
    if len(states) > 1:
        result.notes.append(f"ZIP {query['zip']} spans {' and '.join(states)}; --state narrows it")
    return result


# ---------------------------------------------------------------- United Kingdom


def _suggest(name: str, choices: dict[str, str], what: str, flag: str) -> LookupFailed:
    key = fold(name)
    close = difflib.get_close_matches(key, list(choices), n=3, cutoff=0.6)
    close += [k for k in choices if key and key in k and k not in close][: 5 - len(close)]
    hint = f"; did you mean: {'; '.join(choices[k] for k in close)}?" if close else f"; see `advocate reps list {flag}`"
    return LookupFailed(f"no {what} called {name!r}{hint}")


def lookup_gb(constituency: str | None = None, council: str | None = None) -> Result:
    data = store.load("gb")
    by_name: dict[str, Person] | None = data.get("_names")
    if by_name is None:
        by_name = data["_names"] = {fold(p["district_name"] or ""): p for p in data["people"]}
    if constituency is not None:
        person = by_name.get(fold(constituency))
        if person is None:
            labels = {k: p["district_name"] or "" for k, p in by_name.items()}
            raise _suggest(constituency, labels, "UK constituency", "--country GB")
        result = Result("GB", {"constituency": constituency})
        result.districts.append({"id": person["district"] or "", "name": person["district_name"] or ""})
        result.people.append(_with(person, "mp"))
        return result
    if council is not None:
        councils: dict[str, list[str]] = store.load("gb")["geo"]["councils"]
        folded = {fold(c): c for c in councils}
        name = folded.get(fold(council))
        if name is None:
            raise _suggest(council, dict(folded), "UK council", "--country GB")
        result = Result("GB", {"council": name})
        for pcon in councils[name]:
            person = by_name[fold(pcon)]
            result.districts.append({"id": person["district"] or "", "name": pcon})
            result.people.append(_with(person, "mp"))
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
    index = _index("de")
    states = set()
    for number in numbers:
        wk = geo["wahlkreise"][number]
        states.add(wk["state"])
        result.districts.append({"id": number, "name": f"Wahlkreis {number} {wk['name']}", "state": wk["state"]})
        members = index["district"].get(number, [])
        if not any(p["mandate"] == "direct" for p in members):
            result.notes.append(f"Wahlkreis {number} has no directly elected member in this data")
        result.people += [_with(p, p["mandate"] or "") for p in members]
    chosen = {p["id"] for p in result.people}
    result.also = [
        _with(p, "state-list")
        for state in sorted(states)
        for p in index["state"].get(state, [])
        if p["mandate"] == "list" and p["id"] not in chosen
    ]
    return result


# ---------------------------------------------------------------- France


def department_for_postcode(postcode: str) -> str:
    code = postcode.strip()
    if not re.fullmatch(r"\d{5}", code):
        raise InputProblem(f"not a French postcode: {postcode!r}; give the 5-digit code postal, e.g. 75007")
    if code in ("97133", "97150"):  # Saint-Barthélemy, Saint-Martin: one circonscription, code 977
        return "977"
    if code.startswith("20"):
        if code[2] in "01":
            return "2A"
        if code[2] in "26":
            return "2B"
        raise LookupFailed(f"postcode {code} is not a Corsican postcode in use; check it, or use --department 2A/2B")
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


def lookup_fr(postcode: str | None = None, department: str | None = None, circo: int | None = None) -> Result:
    geo = store.load("fr")["geo"]["departments"]
    if postcode is not None:
        dept = department_for_postcode(postcode)
    elif department is not None:
        dept = department_code(department)
    else:
        raise InputProblem("give --postcode or --department for a French lookup")
    if dept not in geo:
        where = f"postcode {postcode}" if postcode else f"département {department!r}"
        raise LookupFailed(f"no député in this data for {where}; use a département code like 75, 2A, 971 or 099")
    circos: list[int] = geo[dept]["circos"]
    if circo is not None:
        if circo not in circos:
            raise LookupFailed(
                f"--circo {circo} is not a circonscription of {geo[dept]['name']} with a député in this data "
                f"(known: {', '.join(map(str, circos))})"
            )
        circos = [circo]
    result = Result("FR", {"postcode": postcode, "department": dept, "circo": circo})
    index = _index("fr")
    for number in circos:
        person = index["district"][f"{dept}-{number:02d}"][0]
        result.districts.append({"id": person["district"] or "", "name": person["district_name"] or ""})
        result.people.append(_with(person, "depute"))
    return result


# ---------------------------------------------------------------- everyone


def lookup_intl() -> Result:
    result = Result("INTL", {})
    result.people = [_with(p, "recipient") for p in people("intl")]
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
