"""Where a dataset's files come from for `data update`: the source names, the supplements to download or keep,
what each parser calls its file, and the per-source entries of the new copy's metadata. No HTTP here."""

from collections.abc import Mapping
from typing import Any

from advocate.errors import DataError
from advocate.importer.build import spec_files
from advocate.opendata import store


def owners(sources: Mapping[str, Any]) -> dict[str, str]:
    """Source name → its dataset, for every file and supplement in sources.yaml."""
    return {name: key for key, spec in sources.items() for name in spec_files(spec)}


def supplement_urls(spec: Mapping[str, Any], overrides: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """({supplement: URL} to download, [supplements kept from the copy in use]). A supplement marked
    ``update: keep`` has no single file to fetch (Open States is a folder of a git repository): its data is
    kept from the copy in use, unless --source gives a URL for it."""
    urls: dict[str, str] = {}
    kept: list[str] = []
    for name, f in (spec.get("supplements") or {}).items():
        url = overrides.get(name) or (None if f.get("update") == "keep" else f.get("url"))
        if url:
            urls[name] = url
        else:
            kept.append(name)
    return urls, kept


def keep_supplement(key: str, name: str, new: dict[str, Any]) -> str:
    """Carry a supplement's data over from the copy in use; the note that says so."""
    if key == "us" and name == "us-openstates":
        from advocate.importer.openstates import choose_form

        try:
            old = {str(p["id"]): p for p in store.load(key)["people"]}
        except DataError:
            old = {}
        count = 0
        for p in new["people"]:
            before = old.get(str(p["id"]))
            if before is None:
                continue
            ours = (before.get("channels") or {}).get("contact_form")
            form = choose_form(p["channels"].get("contact_form"), ours)
            p["channels"]["contact_form"] = form
            count += form is not None and form == ours
        return (
            f"{name}: no single file to download (a folder of the openstates/people repository); kept the "
            f"contact forms of the {store.origin(key)} copy for {count} members"
        )
    return f"{name}: not downloaded; its data is missing from this copy"


def source_meta(
    key: str,
    name: str,
    f: Mapping[str, Any],
    urls: Mapping[str, str | None],
    downloaded: Mapping[str, str],
    as_of: str,
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """One entry of meta.sources: a downloaded file with its address and time, or a kept supplement."""
    if name not in downloaded:
        old = {s.get("name"): s for s in store.meta(key).get("sources", [])}
        kept = dict(old.get(name) or {"name": name, "url": f.get("url"), "repository": f.get("repository")})
        return {**kept, "kept": True}
    out: dict[str, Any] = {"name": name, "url": urls[name], "repository": f.get("repository"), "commit": None,
                           "as_of": as_of, "downloaded": downloaded[name]}  # fmt: skip
    if name == "us-zccd" and meta.get("zip_congress"):
        out["congress"] = meta["zip_congress"]  # the Congress whose maps the ZIP table follows
    return out


# What the parsers call a file where that differs from its raw path in sources.yaml → the source name.
LABELS = {
    "the Census ZCTA ↔ congressional district file": "us-zccd",
    "fr/deputes-active.csv": "fr-deputes",
}
