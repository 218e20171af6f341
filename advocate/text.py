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


_LEAD = re.compile(r"^(\s*(?:[-*•]\s+|\d+[.)]\s+)?)")


def wrap(text: str, width: int) -> str:
    """Each line longer than ``width`` broken at spaces, under its own indent (and list marker).

    A word longer than the line (an e-mail address, a URL) is never broken: it stands alone on its line."""
    import textwrap

    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = _LEAD.match(line)
        hang = " " * len(lead.group(1)) if lead else ""
        out += textwrap.wrap(line, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False) or [
            line
        ]
    return "\n".join(out)
