"""Build the dataset files from raw bytes: one entry point per dataset, whatever the bytes' origin."""

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from ..resources import DATASETS, PACKAGE_DIR
from . import curated
from .common import FORMAT, Dataset, load_yaml
from .de import parse_de
from .fr import parse_fr
from .gb import parse_gb
from .intl import parse_intl
from .us import parse_us

Fetch = Callable[[str], bytes]


def load_sources() -> dict[str, Any]:
    data = load_yaml((PACKAGE_DIR / "sources.yaml").read_bytes(), "advocate/sources.yaml")
    assert isinstance(data, dict)
    return data


def _postal(intl_geo: Mapping[str, Any], key: str) -> list[str]:
    block = (intl_geo.get("parliament_postal") or {}).get(key) or {}
    return [str(line) for line in block.get("lines") or []]


def _optional(fetch: Fetch, name: str) -> bytes | None:
    """A supplement's bytes, or None when the caller has none (``data update`` fetches only ``files`` so far)."""
    try:
        return fetch(name)
    except KeyError:
        return None


def spec_files(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A dataset's source files: ``files`` (what ``data update`` downloads) and ``supplements`` (the bundled build
    reads them too; the update will download them once it learns their formats)."""
    return {**spec["files"], **(spec.get("supplements") or {})}


def parse_dataset(key: str, fetch: Fetch, intl_geo: Mapping[str, Any], strict: bool = False) -> Dataset:
    """Parse dataset ``key`` and merge the curated office-holders and ministries into it; ``fetch(file_name)``
    returns the raw bytes of one of its files (KeyError: not at hand, allowed for a supplement)."""
    return curated.merge(key.upper(), _parse(key, fetch, intl_geo), strict)


def _parse(key: str, fetch: Fetch, intl_geo: Mapping[str, Any]) -> Dataset:
    if key == "us":
        return parse_us(
            fetch("us-legislators"), fetch("us-offices"), fetch("us-zccd"), _optional(fetch, "us-openstates")
        )
    if key == "gb":
        return parse_gb(fetch("gb-mps"), _postal(intl_geo, "uk_house_of_commons"), _optional(fetch, "gb-current-mps"))
    if key == "de":
        postal = _postal(intl_geo, "de_bundestag")
        extra = _optional(fetch, "de-genders"), _optional(fetch, "de-stammdaten")
        return parse_de(fetch("de-wahlkreise"), fetch("de-emails"), postal, *extra)
    if key == "fr":
        block = (intl_geo.get("parliament_postal") or {}).get("fr_assemblee_nationale") or {}
        postal = _postal(intl_geo, "fr_assemblee_nationale")
        return parse_fr(fetch("fr-deputes"), postal, block.get("switchboard"), _optional(fetch, "fr-postcodes"))
    if key == "intl":
        return parse_intl(fetch("intl-contacts"))
    raise DataError(f"unknown dataset {key!r}; choose from {', '.join(DATASETS)}")


def finish(key: str, parsed: Dataset, spec: Mapping[str, Any], origin: str, as_of: str | None = None) -> Dataset:
    """Wrap parsed people and geography with the dataset's metadata and check its bounds."""
    low, high = spec["bounds"]["members"]
    count = len(parsed["people"])
    if not low <= count <= high:
        raise DataError(f"{key}: {count} members, outside the expected {low}–{high}; refusing this data")
    meta = {
        "name": spec["name"],
        "country": spec["country"],
        "as_of": as_of or spec["as_of"],
        "valid_until": spec.get("valid_until"),
        "licence": spec["licence"],
        "credit": spec["credit"],
        "origin": origin,
        "members": count,
        **(parsed.get("meta") or {}),
        **({"changeover": spec["changeover"]} if spec.get("changeover") else {}),
        "sources": [
            {"name": name, **{k: f.get(k) for k in ("url", "repository", "commit", "as_of", "licence", "credit")}}
            for name, f in spec_files(spec).items()
        ],
    }
    out = {"format": FORMAT, "dataset": key, "meta": meta, "people": parsed["people"], "geo": parsed["geo"]}
    out["vacancies"] = parsed.get("vacancies") or []
    meta["vacancies"] = len(out["vacancies"])
    out["government"] = parsed.get("government") or []
    return out


def build_from_dir(raw_dir: Path) -> dict[str, Dataset]:
    sources = load_sources()

    def fetcher(key: str) -> Fetch:
        def fetch(name: str) -> bytes:
            path = raw_dir / str(spec_files(sources[key])[name]["raw"])
            try:
                return path.read_bytes()
            except OSError as err:
                raise DataError(f"{path}: cannot read ({err.strerror}); is --raw the shared/data folder?") from None

        return fetch

    intl = parse_dataset("intl", fetcher("intl"), {}, strict=True)
    out = {}
    for key in DATASETS:
        parsed = intl if key == "intl" else parse_dataset(key, fetcher(key), intl["geo"], strict=True)
        out[key] = finish(key, parsed, sources[key], origin="bundled")
    return out


def dataset_bytes(dataset: Dataset) -> bytes:
    return json.dumps(dataset, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def representatives_yaml(datasets: Mapping[str, Dataset]) -> str:
    header = (
        "# representatives.yaml — every lawmaker and recipient advocate knows, with the source and licence\n"
        "# of each dataset. Generated by `python -m advocate.importer` from the raw open data; do not edit\n"
        "# by hand (the lookup reads the compiled copy in advocate/data/, which a test checks against this\n"
        "# file). Fix a record upstream or in the importer, then rebuild.\n"
    )
    body = {
        "datasets": {key: ds["meta"] for key, ds in datasets.items()},
        "people": [p for ds in datasets.values() for p in ds["people"]],
        "vacancies": [v for ds in datasets.values() for v in ds.get("vacancies") or []],
        "government": [g for ds in datasets.values() for g in ds.get("government") or []],
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(body, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
    return header + text
