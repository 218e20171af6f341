"""Small text helpers shared by the lookup and the renderer."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Forgiving key for names: case, accents, punctuation and "&"/"and" don't matter.

    "Holborn & St. Pancras" and "holborn and st pancras" give the same key.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and ").replace("ß", "ss"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_ALNUM.sub(" ", ascii_only).split())


def slug(text: str, limit: int = 60) -> str:
    """ASCII file-name part: "Éloïse Núñez" → "eloise-nunez"."""
    return fold(text).replace(" ", "-")[:limit].strip("-") or "x"
