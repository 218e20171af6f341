"""The contacts a new copy of a dataset may hold: each dataset's allow-list in sources.yaml (``contacts``).

A copy from upstream is only as good as the files it was built from: one e-mail address changed to another
domain and the next ``.eml`` goes there. So ``data update`` lists every e-mail, contact form and postal
address that differs from the copy in use ("3 contacts changed: …"), and refuses a copy with an e-mail or
form outside the allow-list unless ``--accept-changes``.

``contacts`` in sources.yaml::

    contacts:
      email: [parliament.uk]           # domains: the domain itself and its subdomains
      forms: [house.gov, senate.gov]   # hosts of contact forms (https only), same rule
      exceptions: [daniel@danielzeichner.co.uk]   # exact addresses or form URLs outside those, as bundled
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

FIELDS = ("email", "contact_form", "postal")
LABELS = {"email": "e-mail", "contact_form": "contact form", "postal": "postal address"}


@dataclass(frozen=True)
class AllowList:
    email: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    exceptions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> "AllowList":
        block = spec.get("contacts") or {}
        return cls(
            tuple(_domain(d) for d in block.get("email") or ()),
            tuple(_domain(d) for d in block.get("forms") or ()),
            frozenset(str(x).strip().lower() for x in block.get("exceptions") or ()),
        )

    def allows(self, kind: str, value: str) -> bool:
        """Whether an e-mail address or a contact form URL may be installed; postal addresses always may."""
        text = value.strip().lower()
        if kind == "postal" or text in self.exceptions:
            return True
        if kind == "email":
            local, at, domain = text.rpartition("@")
            return bool(local and at) and _under(domain, self.email)
        try:
            parts = urlsplit(text)
        except ValueError:
            return False
        return parts.scheme == "https" and _under(parts.hostname or "", self.forms)


def _domain(pattern: Any) -> str:
    return str(pattern).strip().lower().removeprefix("*.").removeprefix("@")


def _under(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


@dataclass(frozen=True)
class Change:
    """One contact that differs from the copy in use (``old`` None: a new member), or lies outside the list."""

    id: str
    name: str
    field: str
    old: str | None
    new: str | None
    outside: bool

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "name", "field", "old", "new", "outside")}

    def line(self) -> str:
        mark = " — outside the allow-list" if self.outside else ""
        return f"{self.name} [{self.id}] {LABELS[self.field]}: {self.old or '(none)'} → {self.new or '(none)'}{mark}"


def value(person: Mapping[str, Any], kind: str) -> str | None:
    channels = person.get("channels") or {}
    if kind == "email":
        found = (channels.get("email") or {}).get("address")
    elif kind == "postal":
        found = " / ".join(str(x) for x in channels.get("postal") or []) or None
    else:
        found = channels.get(kind)
    return str(found) if found else None


def changes(
    old_people: Iterable[Mapping[str, Any]], new_people: Iterable[Mapping[str, Any]], allow: AllowList
) -> list[Change]:
    """The contacts of the new copy that differ from the old one, and those outside the allow-list, in id order.
    A member who joined is listed only for a contact outside the allow-list (joining is reported already)."""
    old = {str(p["id"]): p for p in old_people}
    found = []
    for person in sorted(new_people, key=lambda p: str(p["id"])):
        pid = str(person["id"])
        before = old.get(pid)
        for kind in FIELDS:
            new = value(person, kind)
            was = value(before, kind) if before is not None else None
            outside = new is not None and not allow.allows(kind, new)
            if (before is not None and new != was) or outside:
                found.append(Change(pid, str(person.get("name") or pid), kind, was, new, outside))
    return found


def summary(key: str, found: list[Change]) -> str:
    """The one-line count: "us: 3 contacts changed (1 outside the allow-list)"."""
    outside = sum(1 for c in found if c.outside)
    extra = f" ({outside} outside the allow-list in sources.yaml)" if outside else ""
    return f"{len(found)} contact{'s' if len(found) != 1 else ''} changed{extra}"
