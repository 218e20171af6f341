"""The curated office-holder and government files: sourced, dated, no unpublished e-mail, ids in the data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "advocate" / "importer" / "curated"
DATA = ROOT / "advocate" / "data"

OFFICIAL_HOSTS = (
    "gov.uk",
    "parliament.uk",
    "bundestag.de",
    "bundesregierung.de",
    "auswaertiges-amt.de",
    "bund.de",
    "diplomatie.gouv.fr",
    "interieur.gouv.fr",
    "gouvernement.fr",
    "assemblee-nationale.fr",
    "elysee.fr",
    "vie-publique.fr",  # DILA, services du Premier ministre: the Conseil des ministres reports
    "state.gov",
    "dhs.gov",
    "uscis.gov",
    "house.gov",
    "speaker.gov",
    "usgovernmentmanual.gov",
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CURATED / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _official(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parsed = urlparse(url)
    host = parsed.hostname or ""
    return parsed.scheme == "https" and any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


def _emails(node: object) -> list[tuple[dict[str, Any], str]]:
    """Every (mapping, key) in the tree whose key names an e-mail and whose value is set."""
    found: list[tuple[dict[str, Any], str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("email", "e_mail", "mail") and value:
                found.append((node, key))
            found.extend(_emails(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_emails(item))
    return found


def test_files_are_dated_and_go_stale() -> None:
    for name in ("officeholders.yaml", "government.yaml"):
        data = _load(name)
        assert DATE.match(str(data["as_of"])), name
        assert DATE.match(str(data["valid_until"])), name
        assert str(data["valid_until"]) > str(data["as_of"]), name


def test_every_officeholder_is_sourced_dated_and_in_the_data() -> None:
    ids: set[str] = set()
    for key in ("gb", "de", "fr", "us"):
        people = json.loads((DATA / f"{key}.json").read_text(encoding="utf-8"))["people"]
        ids.update(p["id"] for p in people)
    entries = _load("officeholders.yaml")["officeholders"]
    assert entries
    for entry in entries:
        assert _official(entry["source_url"]), entry
        assert DATE.match(str(entry["as_of"])), entry
        assert entry["person_id"] in ids, entry["person_id"]
        assert entry["office"] in (
            "head_of_government",
            "foreign_minister",
            "interior_minister",
            "presiding_officer",
        )
        assert entry["office_title"]["en"]
        if "valid_until" in entry:
            assert DATE.match(str(entry["valid_until"])), entry


def test_every_government_recipient_is_sourced_and_dated() -> None:
    recipients = _load("government.yaml")["recipients"]
    assert recipients
    for rec in recipients:
        assert rec["chamber"] == "government"
        assert rec["office"] in ("foreign_ministry", "interior_ministry")
        assert rec["sources"] and all(_official(u) for u in rec["sources"]), rec["id"]
        assert DATE.match(str(rec["as_of"])), rec["id"]
        form = rec["channels"].get("contact_form")
        assert form is None or _official(form), rec["id"]
        if rec.get("minister"):
            assert _official(rec["minister"]["source"]), rec["id"]


def test_no_email_without_the_page_that_publishes_it() -> None:
    for name in ("officeholders.yaml", "government.yaml"):
        for holder, key in _emails(_load(name)):
            assert _official(holder.get("email_source")), (name, holder[key])
