"""What every country's lookup shares: the Result, people grouped by district, and the vacant seats."""

from dataclasses import dataclass, field
from typing import Any

from advocate.opendata import store
from advocate.records import Person, Vacancy


@dataclass
class Result:
    """The outcome of one lookup: candidate districts, the people for them, and the seats nobody holds."""

    country: str
    query: dict[str, Any]
    districts: list[dict[str, str]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # each carries "relation"
    also: list[Person] = field(default_factory=list)  # DE: list MdBs from the same state
    notes: list[str] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)  # seats of these districts with no one in them
    # US: the district map changed and the ZIP table predates it ({congress, states, house_finder, …}), else None
    map_changed: dict[str, Any] | None = None
    as_of: str | None = None  # the dataset's as-of date (set by advocate.lookup.lookup)

    @property
    def ambiguous(self) -> bool:
        return len(self.districts) > 1

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "query": self.query,
            "as_of": self.as_of,
            "ambiguous": self.ambiguous,
            "districts": self.districts,
            "representatives": [with_as_of(p, self.as_of) for p in self.people],
            "also_from_state": [with_as_of(p, self.as_of) for p in self.also],
            "vacancies": self.vacancies,
            "district_map_changed": self.map_changed,
            "notes": self.notes,
        }


def with_as_of(person: Person, as_of: str | None) -> Person:
    return {**person, "as_of": as_of} if as_of else person


def vacant_line(v: Vacancy) -> str:
    """How a vacant seat is shown: "Holborn and St Pancras: the seat is vacant" (never as a person)."""
    since = f" (since {v['since']})" if v.get("since") else ""
    return f"{v.get('district_name') or v.get('district')}: the seat is vacant{since}"


def with_relation(person: Person, relation: str) -> Person:
    return {**person, "relation": relation}


def people(key: str) -> list[Person]:
    result: list[Person] = store.load(key)["people"]
    return result


def index(key: str) -> dict[str, dict[str, list[Person]]]:
    """People grouped by state and by district, built once per loaded dataset."""
    data = store.load(key)
    found: dict[str, dict[str, list[Person]]] | None = data.get("_index")
    if found is None:
        found = {"state": {}, "district": {}}
        for p in data["people"]:
            found["state"].setdefault(p.get("state") or "", []).append(p)
            found["district"].setdefault(p.get("district") or "", []).append(p)
        data["_index"] = found
    return found


def vacancies(key: str) -> dict[str, Vacancy]:
    """The dataset's vacant seats by district key (``vacancies`` of the data file; never people)."""
    data = store.load(key)
    found: dict[str, Vacancy] | None = data.get("_vacancies")
    if found is None:
        found = data["_vacancies"] = {str(v.get("district")): v for v in data.get("vacancies") or []}
    return found
