"""US Congress contact forms: Open States people (openstates/people data/us/legislature, CC0), and the rule that
picks one form per member where congress-legislators also has one."""

import io
import tarfile
from urllib.parse import urlsplit

from ..errors import DataError
from .common import load_yaml

WHAT = "us/openstates-people-us-legislature.tar.gz"
MAX_MEMBER_FILE = 1_000_000  # bytes; one member's YAML is a few kB


def parse_openstates(raw: bytes, minimum: int = 500) -> dict[str, str | None]:
    """bioguide → the member's contact-form URL (Open States' top-level ``email``; for Congress always a URL).

    ``raw`` is the gzip'd tar of ``data/us/legislature/*.yml`` (one file per member, any folder prefix).
    A member without a URL maps to None, so the caller can count the members the archive knows.
    """
    try:
        archive = tarfile.open(fileobj=io.BytesIO(raw), mode="r:*")
    except (tarfile.TarError, EOFError, OSError) as err:
        raise DataError(f"{WHAT}: not a tar archive ({err})") from None
    forms: dict[str, str | None] = {}
    with archive:
        for member in archive:
            if not member.isfile() or not member.name.endswith((".yml", ".yaml")):
                continue
            if member.size > MAX_MEMBER_FILE:
                raise DataError(f"{WHAT}: {member.name} is {member.size:,} bytes; not a member file")
            handle = archive.extractfile(member)
            if handle is None:
                continue
            record = load_yaml(handle.read(), f"{WHAT}: {member.name}")
            if not isinstance(record, dict):
                raise DataError(f"{WHAT}: {member.name} is not a member record")
            ids = [
                str(i.get("identifier"))
                for i in record.get("other_identifiers") or []
                if isinstance(i, dict) and i.get("scheme") == "bioguide" and i.get("identifier")
            ]
            if len(ids) != 1:
                raise DataError(f"{WHAT}: {member.name} has {len(ids)} bioguide identifiers, expected exactly one")
            url = record.get("email")
            forms[ids[0]] = url.strip() if isinstance(url, str) and url.strip() else None
    if len(forms) < minimum or sum(1 for url in forms.values() if url) < minimum * 0.97:
        raise DataError(
            f"{WHAT}: {len(forms)} member files, {sum(1 for u in forms.values() if u)} with a contact form;"
            f" expected about 536 and 533; refusing this file"
        )
    return forms


def _usable(url: str | None) -> bool:
    """An https (or http) URL on a congressional host: *.house.gov or *.senate.gov (the member's own office)."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("https", "http") and host.endswith((".house.gov", ".senate.gov"))


def _weak(url: str) -> bool:
    """A home page (no path) or an archived page ("/contact-old/…") rather than the form itself."""
    path = urlsplit(url).path
    return path.strip("/") == "" or any(seg == "old" or seg.endswith("-old") for seg in path.split("/"))


def choose_form(legislators: str | None, openstates: str | None) -> str | None:
    """One contact form per member from congress-legislators' ``contact_form`` and Open States' ``email``.

    The rule, in order (measured on the bundled copies: 89 members have both, 56 differ):
    1. Only a well-formed http(s) URL on the member's own congressional host (*.house.gov, *.senate.gov) counts.
       This drops congress-legislators' "hhttps://fine.house.gov/…" (a typo).
    2. A home page or an archived page loses to a real form path: congress-legislators'
       "https://mccormick.senate.gov/" loses to Open States' "/contact/contact-dave/"; Open States'
       "/contact-old/contact-form/" (Tuberville) loses to congress-legislators' "/contact/contact-form/".
    3. Otherwise Open States, the newer source: its snapshot is of 2026-08-05 (congress-legislators' of
       2026-06-15), it keeps a form for 533 of 536 members (congress-legislators for 89), and where they differ
       congress-legislators often still has the retired ColdFusion paths ("/public/index.cfm/contact") that the
       Senate offices replaced with the pages Open States lists.
    """
    candidates = [u for u in (openstates, legislators) if u is not None and _usable(u)]
    strong = [u for u in candidates if not _weak(u)]
    return (strong or candidates)[0] if candidates else None
