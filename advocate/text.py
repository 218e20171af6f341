"""Small text helpers shared by the lookup and the renderer."""

import re
import unicodedata
from functools import lru_cache

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
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
        else:
            out += _wrap_line(line, width)
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _wrap_line(line: str, width: int) -> tuple[str, ...]:
    """One long line wrapped (cached: a batch wraps the same paragraphs of a letter thousands of times, and
    textwrap was two thirds of a batch's time)."""
    import textwrap

    lead = _LEAD.match(line)
    hang = " " * len(lead.group(1)) if lead else ""
    lines = textwrap.wrap(line, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or (line,)
