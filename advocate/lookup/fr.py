"""France: code postal → circonscription(s) → député(s); a code postal not in the table gives the département."""

import re

from advocate.errors import InputProblem, LookupFailed
from advocate.lookup.common import Result, index, vacancies, vacant_line, with_relation
from advocate.opendata import store
from advocate.places import department_code


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


def _circo_of(key: str) -> int:
    return int(key.rpartition("-")[2])


def lookup_fr(postcode: str | None = None, department: str | None = None, circo: int | None = None) -> Result:
    data = store.load("fr")
    geo = data["geo"]["departments"]
    keys: list[str] = []
    note = None
    if postcode is not None:
        dept = department_for_postcode(postcode)
        code = postcode.strip()
        table = data["geo"].get("postcodes")
        keys = store.table_get(table, code) if table else []
        if table and not keys:
            note = f"code postal {code} is not in the code postal → circonscription table; these are all the "
            note += "circonscriptions of its département (--circo N narrows it)"
        if keys:
            dept = keys[0].rpartition("-")[0]
    elif department is not None:
        dept = department_code(department)
    else:
        raise InputProblem("give --postcode or --department for a French lookup")
    vacant = vacancies("fr")
    if not keys:
        if dept not in geo and not any(k.startswith(dept + "-") for k in vacant):
            where = f"postcode {postcode}" if postcode else f"département {department!r}"
            raise LookupFailed(f"no député in this data for {where}; use a département code like 75, 2A, 971 or 099")
        held = [f"{dept}-{n:02d}" for n in (geo.get(dept) or {}).get("circos", [])]
        keys = sorted(set(held) | {k for k in vacant if k.startswith(dept + "-")}, key=_circo_of)
    if circo is not None:
        narrowed = [k for k in keys if _circo_of(k) == circo]
        if not narrowed:
            name = (geo.get(dept) or {}).get("name", dept)
            where = f"code postal {postcode.strip()}" if postcode is not None and not note else name
            raise LookupFailed(
                f"--circo {circo} is not a circonscription of {where} with a député in this data "
                f"(known: {', '.join(str(_circo_of(k)) for k in keys)})"
            )
        keys = narrowed
    depts = sorted({k.rpartition("-")[0] for k in keys})
    result = Result("FR", {"postcode": postcode, "department": depts[0] if len(depts) == 1 else dept, "circo": circo})
    idx = index("fr")
    for key in keys:
        found = idx["district"].get(key) or []
        if found:
            person = found[0]
            result.districts.append({"id": key, "name": person["district_name"] or ""})
            result.people.append(with_relation(person, "depute"))
        elif key in vacant:
            seat = vacant[key]
            result.districts.append({"id": key, "name": seat.get("district_name") or key})
            result.vacancies.append(seat)
            result.notes.append(vacant_line(seat))
    if note:
        result.notes.append(note)
    return result
