"""International recipients: the hand-compiled intl/official_contacts.yaml."""

from typing import Any

from ..errors import DataError
from .common import Dataset, Person, load_yaml, need, person

LANGUAGE = {"ru-embassy-de": "de"}
BODY = {
    "icc-otp": "International Criminal Court",
    "un-ie-sogi": "United Nations Human Rights Council — Special Procedures",
    "ru-embassy-us": "Embassy of the Russian Federation",
    "ru-embassy-uk": "Embassy of the Russian Federation",
    "ru-embassy-de": "Botschaft der Russischen Föderation",
}
ROLE = {
    "icc-otp": "Office of the Prosecutor",
    "un-ie-sogi": "Independent Expert on sexual orientation and gender identity",
    "ru-embassy-us": "Embassy",
    "ru-embassy-uk": "Embassy",
    "ru-embassy-de": "Botschaft",
}


def _lines(block: Any) -> list[str]:
    return [str(x) for x in (block or {}).get("lines") or []]


def _recipient(raw: dict[str, Any]) -> Person:
    what = "intl/official_contacts.yaml"
    rid = need(raw, "id", what)
    channels = raw.get("channels") or {}
    email_block = channels.get("email_general") or {}
    online = channels.get("online") or {}
    postal = _lines(channels.get("postal") or raw.get("postal"))
    notes = " ".join(str(x) for x in (raw.get("notes"), email_block.get("use"), online.get("name")) if x)
    return person(
        id=rid,
        name=need(raw, "name", what),
        country="INTL",
        body=BODY.get(rid, raw["name"]),
        chamber=None,
        role=ROLE.get(rid, "Recipient"),
        language=LANGUAGE.get(rid, "en"),
        email=email_block.get("address") or raw.get("email") or channels.get("email"),
        contact_form=online.get("url"),
        website=raw.get("website") or raw.get("mandate_page"),
        phone=raw.get("phone") or raw.get("phone_consular"),
        postal=postal,
        notes=notes or None,
    )


def parse_intl(raw: bytes) -> Dataset:
    data = load_yaml(raw, "intl/official_contacts.yaml")
    recipients = need(data, "recipients", "intl/official_contacts.yaml")
    if not isinstance(recipients, list) or not recipients:
        raise DataError("intl/official_contacts.yaml: no recipients")
    people = [_recipient(r) for r in recipients]
    postal = data.get("parliament_postal") or {}
    return {
        "people": people,
        "geo": {"parliament_postal": {k: v for k, v in postal.items() if isinstance(v, dict)}},
        "retrieved": data.get("retrieved"),
    }
