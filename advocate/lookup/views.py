"""Plain-text views of people, lookups and datasets (for pipes; advocate.cli.views draws Rich tables on a terminal)."""

from typing import Any

from advocate.lookup.common import Result, vacant_line
from advocate.lookup.countries import BY_CODE
from advocate.records import Person


def contact_summary(p: Person) -> list[str]:
    """How to reach a person, best channel first, one "label: value" per line."""
    ch = p["channels"]
    lines = []
    email = ch.get("email")
    if email:
        flag = "" if email["confirmed"] else " (not publicly confirmed — derived from the standard scheme)"
        lines.append(f"e-mail: {email['address']}{flag}")
    if ch.get("contact_form"):
        lines.append(f"contact form: {ch.get('contact_form')}")
    if ch.get("phone"):
        lines.append(f"phone: {ch.get('phone')}")
    postal = ch.get("postal")
    if postal:
        lines.append(f"post: {', '.join(postal)}")
    if ch.get("website") and not ch.get("contact_form"):
        lines.append(f"website: {ch.get('website')}")
    return lines


def role_line(p: Person) -> str:
    parts = [p["role"]]
    district_name, state, party = p.get("district_name"), p.get("state"), p.get("party")
    if district_name:
        parts.append(district_name)
    elif state and p["country"] == "US":
        parts.append(state)
    if p.get("mandate") == "list":
        parts.append("list mandate")
    if party:
        parts.append(party)
    return ", ".join(parts)


def _bold(text: str, bold: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if bold else text


def person_text(p: Person, bold: bool = False) -> str:
    """A person and how to reach them: one contact per line, so no address or URL is ever split."""
    head = f"{_bold(p['name'], bold)} — {role_line(p)} [{p['id']}]"
    return "\n".join([head] + [f"  {line}" for line in contact_summary(p)])


def offices_text(p: Person) -> str:
    """A person's offices, one line each (for `reps show`)."""
    lines = []
    for office in p["channels"].get("offices") or []:
        phone = f" — {office['phone']}" if office.get("phone") else ""
        lines.append(f"  office: {', '.join(office['lines'])}{phone}\n")
    return "".join(lines)


def result_header(r: Result) -> str:
    labels = {"zip": "ZIP", "wahlkreis": "Wahlkreis", "circo": "circonscription", "department": "département"}
    query = ", ".join(f"{labels.get(k, k)} {v}" for k, v in r.query.items() if v is not None)
    head = f"{r.country}" + (f" · {query}" if query else "")
    if r.ambiguous:
        rules = BY_CODE.get(r.country)
        flag = f"{rules.narrow} N" if rules and rules.narrow and rules.narrow_by_number else ""
        names = "; ".join(d["name"] for d in r.districts)
        head += f"\nMore than one district matches: {names}." + (f" Narrow it with {flag}." if flag else "")
    elif r.districts:
        head += f" · {r.districts[0]['name']}"
    return head


def as_of_line(as_of: str | None) -> str:
    """The one line that says when the data was checked."""
    return f"data as of {as_of}" if as_of else ""


def result_notes(r: Result) -> list[str]:
    """The lines after the people: vacant seats (as seats), the notes, the list mandates, the as-of date."""
    lines = [vacant_line(v) for v in r.vacancies]
    vacant = set(lines)
    lines += [f"Note: {n}" for n in r.notes if not any(n.startswith(v) for v in vacant)]
    if r.also:
        names = ", ".join(f"{p['name']} ({p['party']})" for p in r.also)
        lines.append(f"Also from your state (list mandates): {names}")
    if r.as_of:
        lines.append(as_of_line(r.as_of))
    return lines


def result_text(r: Result, bold: bool = False) -> str:
    blocks = [result_header(r)] + [person_text(p, bold) for p in r.people] + result_notes(r)
    return "\n\n".join(blocks) + "\n"


def people_blocks(people: list[Person], bold: bool = False) -> str:
    """People one block each, contacts one per line under each person (the terminal view of a list)."""
    return "\n\n".join(person_text(p, bold) for p in people) + "\n"


def people_text(people: list[Person]) -> str:
    return "".join(f"{p['id']}\t{p['name']}\t{role_line(p)}\n" for p in people)


def datasets_text(infos: list[dict[str, Any]]) -> str:
    blocks = []
    for d in infos:
        lines = [
            f"{d['dataset']}: {d['name']} — {d['members']} members",
            f"  as of {d['as_of']}" + (f", valid until {d['valid_until']}" if d["valid_until"] else ""),
            f"  copy: {d['origin']}"
            + (f", downloaded {d['downloaded']}" if d.get("downloaded") else "")
            + (f" — STALE: {d['stale']}" if d["stale"] else ""),
            f"  licence: {d['licence']}",
            f"  credit: {d['credit']}",
        ]
        for s in d["sources"]:
            if s.get("downloaded"):
                lines.append(f"  source: {s['name']} {s['url']}, downloaded {s['downloaded']}")
            else:
                lines.append(f"  source: {s['name']} {s['repository'] or ''} {s['commit'] or ''}".rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
