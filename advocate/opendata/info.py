"""What data advocate is using: per dataset its copy, dates, licence and credit."""

from typing import Any

from advocate.opendata import store


def info() -> list[dict[str, Any]]:
    out = []
    on = store.today()
    for key in store.DATASETS:
        meta = store.meta(key)
        out.append(
            {
                "dataset": key,
                **{k: meta.get(k) for k in ("name", "country", "members", "as_of", "valid_until", "licence", "credit")},
                "origin": store.origin(key),
                "downloaded": meta.get("downloaded"),
                "stale": store.staleness(meta, on),
                "sources": meta.get("sources", []),
            }
        )
    return out
