"""E-mail drafts: ``.eml`` files and ``mailto:`` URIs. advocate builds drafts; it never sends.

Every value that reaches a header (display names, subjects, addresses) may come from bundled
data, a CSV cell or the user, so it is cleaned or checked here: no value can add a header line
or a recipient. See CONVENTIONS.md B5 (mailto) and B6 (.eml).
"""

import re
import unicodedata
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from urllib.parse import quote

from .errors import InputProblem

__all__ = [
    "MAILTO_LIMIT",
    "build_eml",
    "build_mailto",
    "check_address",
    "clean_header_text",
    "draft_filename",
    "mailto_too_long",
]

#: Encoded mailto URIs longer than this are unreliable in browsers and mail clients (B5);
#: above it, offer an .eml draft, the clipboard or stdout instead of truncating.
MAILTO_LIMIT = 1800

# Lone surrogates (e.g. from surrogateescape decoding) cannot be encoded as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|\r|\n")

# A plain RFC 5322 dot-atom addr-spec, ASCII only: no quoted local parts, no domain
# literals, no comments, no display names, no lists. Anything else is refused.
_ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_ADDR_SPEC = re.compile(rf"{_DOT_ATOM}@{_DOT_ATOM}")
_MAX_ADDRESS = 254

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_MAX_SLUG = 80


def clean_header_text(value: str) -> str:
    """Fold a display name or subject onto one line.

    CR, LF, tabs, U+0085, U+2028/U+2029 and every other control character become spaces,
    runs of whitespace collapse to one space, and the ends are stripped, so the value can
    never start a new header line. Lone surrogates become U+FFFD.
    """
    value = _SURROGATE.sub("\ufffd", value)
    folded = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value
    )
    return " ".join(folded.split())


def check_address(addr: str) -> str:
    """Return ``addr`` stripped if it is one plain ``local@domain`` address; else raise InputProblem.

    Only ASCII dot-atoms are accepted: no spaces, control characters, ``,;<>"()``, quoting,
    comments or second ``@``, so a value can never smuggle in another recipient or header.
    """
    candidate = addr.strip()
    if len(candidate) > _MAX_ADDRESS or not _ADDR_SPEC.fullmatch(candidate):
        raise InputProblem(f"not a usable e-mail address: {addr!r}")
    return candidate


def _normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\r\n", text)


def build_eml(
    to: list[tuple[str, str]],
    subject: str,
    body: str,
    sender: tuple[str, str] | None = None,
) -> bytes:
    """Build an unsent RFC 5322 draft (CRLF line endings, 7-bit clean) for ``to`` as (name, address) pairs.

    Headers: From (only when ``sender`` is given), To, Subject, ``X-Unsent: 1`` and the MIME
    headers; no Date or Message-ID, which the mail client adds when sending. Non-ASCII header
    text becomes RFC 2047 encoded words; the body is UTF-8 text/plain, quoted-printable.
    Raises InputProblem for an unusable address.
    """
    msg = EmailMessage()
    if sender is not None:
        msg["From"] = _address(*sender)
    if to:
        msg["To"] = [_address(name, addr) for name, addr in to]
    msg["Subject"] = clean_header_text(subject)
    msg["X-Unsent"] = "1"
    text = _SURROGATE.sub("\ufffd", body).replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    return msg.as_bytes(policy=SMTP)


def _address(name: str, addr: str) -> Address:
    return Address(display_name=clean_header_text(name), addr_spec=check_address(addr))


def build_mailto(to: list[str], subject: str, body: str) -> str:
    """Build an RFC 6068 ``mailto:`` URI with the addresses in the path and subject and body hfields.

    Spaces are ``%20`` (never ``+``), line breaks in the body ``%0D%0A``, and ``&``, ``?``,
    ``#``, ``%`` and ``+`` are percent-encoded. Raises InputProblem for an unusable address.
    """
    path = ",".join(quote(check_address(addr), safe="@") for addr in to)
    clean_subject = quote(clean_header_text(subject), safe="")
    clean_body = quote(_normalise_newlines(_SURROGATE.sub("\ufffd", body)), safe="")
    return f"mailto:{path}?subject={clean_subject}&body={clean_body}"


def mailto_too_long(uri: str) -> bool:
    """True when ``uri`` is longer than MAILTO_LIMIT characters and should not be opened."""
    return len(uri) > MAILTO_LIMIT


def draft_filename(*parts: str) -> str:
    """A safe ASCII file name for a draft, e.g. ``("Sen. José Núñez", "Chechnya")`` → ``sen-jose-nunez-chechnya.eml``."""
    decomposed = unicodedata.normalize("NFKD", " ".join(parts))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:_MAX_SLUG].rstrip("-")
    if not slug:
        return "draft.eml"
    if slug in _WINDOWS_RESERVED:
        slug += "-draft"
    return f"{slug}.eml"
