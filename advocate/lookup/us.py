"""United States: ZIP → district → members, and the rule for a changed district map (the 120th Congress)."""

import datetime as dt
import re
from typing import Any

from advocate.errors import InputProblem, LookupFailed
from advocate.lookup.common import Result, index, vacancies, vacant_line, with_relation
from advocate.opendata import store
from advocate.places import TERRITORIES, district_name, ordinal


def _us_zip(raw: str) -> str:
    match = re.fullmatch(r"\s*(\d{5})(?:-?\d{4})?\s*", raw)
    if not match:
        raise InputProblem(f"not a US ZIP code: {raw!r}; give 5 digits (ZIP+4 is fine), e.g. 10001")
    return match.group(1)


def changed_states(meta: dict[str, Any], on: dt.date) -> dict[str, Any] | None:
    """The changeover in force on ``on``: from ``takes_effect``, while the installed ZIP table (meta.zip_congress)
    is for an earlier Congress than ``changeover.congress``; None before that date or once the table is current."""
    change = meta.get("changeover")
    if not change or on < dt.date.fromisoformat(str(change["takes_effect"])):
        return None
    if int(meta.get("zip_congress") or 0) >= int(change["congress"]):
        return None
    return dict(change)


def map_change_line(change: dict[str, Any], states: list[str], zip_congress: int | None) -> str:
    """The line that says why no House member is named, and where to find the district."""
    names = " and ".join(change["states"][s]["name"] for s in states)
    table = f"the {ordinal(zip_congress)} Congress" if zip_congress else "an earlier Congress"
    return (
        f"the congressional district map of {names} changed for the {ordinal(int(change['congress']))} Congress "
        f"(from {change['takes_effect']}); this ZIP table is for {table}, so it cannot tell your House district. "
        f"Find it at {change['house_finder']}, then give --district N"
    )


def lookup_us(zip_code: str | None = None, district: int | None = None, state: str | None = None) -> Result:
    data = store.load("us")
    geo, meta = data["geo"], data["meta"]
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
    states = sorted({k.split("-")[0] for k in keys})
    change = changed_states(meta, store.today())
    changed = [s for s in states if change and s in change["states"]]
    if changed and change is not None:
        keys = _changed_keys(keys, changed, district, state, zip_code is not None)
    elif district is not None:
        narrowed = [k for k in keys if int(k.split("-")[1]) == district]
        if not narrowed:
            where = f"ZIP {query['zip']}" if query["zip"] else state
            raise LookupFailed(
                f"--district {district} is not a district of {where} (it covers {', '.join(keys)}); "
                "pick one of those or leave --district out"
            )
        keys = narrowed
    keys = sorted(keys, key=lambda k: (k.split("-")[0], int(k.split("-")[1])))  # NY-2 before NY-10
    result = Result("US", query)
    idx = _index_us()
    for st in states:
        if st not in TERRITORIES:
            result.people += [with_relation(p, "senator") for p in idx["state"].get(st, []) if p["chamber"] == "senate"]
    vacant = vacancies("us")
    for key in keys:
        st, num = key.split("-")
        result.districts.append({"id": key, "name": district_name(st, int(num))})
        if state and zip_code is None and district is None:
            continue  # --state alone: the senators and the list of districts
        reps = idx["district"].get(key)
        if reps:
            result.people += [with_relation(rep, "representative") for rep in reps]
        else:
            seat = vacant.get(key) or {"country": "US", "chamber": "house", "state": st, "district": key,
                                       "district_name": district_name(st, int(num))}  # fmt: skip
            result.vacancies.append(seat)
            result.notes.append(f"{vacant_line(seat)} ({key}, in the data as of {meta['as_of']})")
    if changed and change is not None:
        zip_congress = meta.get("zip_congress")
        result.map_changed = {
            "states": changed,
            "state_names": [change["states"][s]["name"] for s in changed],
            "congress": change["congress"],
            "takes_effect": change["takes_effect"],
            "zip_congress": zip_congress,
            "house_finder": change["house_finder"],
            "district_given": district is not None,
        }
        if district is None and zip_code is not None:
            result.notes.append(map_change_line(change, changed, zip_congress))
    if len(states) > 1:
        result.notes.append(f"ZIP {query['zip']} spans {' and '.join(states)}; --state narrows it")
    return result


def _changed_keys(
    keys: list[str], changed: list[str], district: int | None, state: str | None, by_zip: bool
) -> list[str]:
    """The district keys to name when a state's map changed: none of the old ZIP table's keys in that state
    (they follow the old map); with --district N the key of district N in the current member data."""
    kept = [k for k in keys if k.split("-")[0] not in changed]
    if district is None:
        return kept if by_zip else keys  # --state alone lists the district numbers, naming no one
    if len(changed) > 1 and not state:
        raise LookupFailed(f"--district {district}: this ZIP lies in {' and '.join(changed)}; add --state XX too")
    st = state if state in changed else changed[0]
    key = f"{st}-{district}"
    if key not in _index_us()["district"] and key not in vacancies("us"):
        known = sorted(int(k.split("-")[1]) for k in _index_us()["district"] if k.startswith(st + "-"))
        raise LookupFailed(
            f"--district {district} is not a district of {st} in the member data (it has {known[0]}–{known[-1]})"
        )
    return [key]


def _index_us() -> dict[str, dict[str, list[Any]]]:
    return index("us")
