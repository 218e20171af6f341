"""The shapes of the records the data holds: a person (or office), their channels, a dataset's metadata.

Keys follow the data contract (README "JSON"); a record may carry more keys than these (``total=False``).
"""

from typing import Any, TypedDict


class Email(TypedDict):
    address: str
    confirmed: bool


class Office(TypedDict, total=False):
    lines: list[str]
    phone: str | None


class Channels(TypedDict, total=False):
    email: Email | None
    contact_form: str | None
    website: str | None
    phone: str | None
    postal: list[str] | None
    offices: list[Office] | None


class Person(TypedDict, total=False):
    """A lawmaker, an office or a custom recipient (country "CUSTOM")."""

    id: str
    name: str
    given_name: str | None
    family_name: str | None
    country: str
    body: str | None
    chamber: str | None
    role: str
    language: str | None
    gender: str | None
    state: str | None
    district: str | None
    district_name: str | None
    party: str | None
    mandate: str | None
    channels: Channels
    notes: str | None
    relation: str
    as_of: str  # the dataset's as-of date, in --json output of lookup and show


class Vacancy(TypedDict, total=False):
    """A seat nobody holds (a dataset's ``vacancies``): shown as a seat, never as a person."""

    country: str
    chamber: str | None
    district: str | None
    district_name: str | None
    state: str | None
    since: str | None
    note: str | None


class Source(TypedDict, total=False):
    name: str
    url: str | None
    repository: str | None
    commit: str | None
    as_of: str | None
    downloaded: str | None


class DatasetMeta(TypedDict, total=False):
    name: str
    country: str
    as_of: str
    valid_until: str | None
    licence: str
    credit: str
    origin: str
    members: int
    sources: list[Source]
    downloaded: str | None
    zip_congress: int  # US: the Congress whose district maps the ZIP table follows
    changeover: dict[str, Any]  # US: {congress, takes_effect, house_finder, states {XX: {name, source}}, sources}


class Dataset(TypedDict, total=False):
    format: int
    dataset: str
    meta: DatasetMeta
    people: list[Person]
    geo: dict[str, Any]
