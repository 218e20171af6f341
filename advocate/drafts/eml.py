"""E-mail drafts: ``.eml`` files and ``mailto:`` URIs. advocate builds drafts; it never sends.

Every value that reaches a header (display names, subjects, addresses) may come from bundled
data, a CSV cell or the user, so it is cleaned or checked here: no value can add a header line
or a recipient. See CONVENTIONS.md B5 (mailto) and B6 (.eml).
"""

import base64
import re
import unicodedata
from email.policy import SMTP
from urllib.parse import quote

from advocate.errors import InputProblem

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
_SPELLED_OUT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def clean_header_text(value: str) -> str:
    """Fold a display name or subject onto one line.

    CR, LF, tabs, U+0085, U+2028/U+2029 and every other control character become spaces,
    runs of whitespace collapse to one space, and the ends are stripped, so the value can
    never start a new header line. Lone surrogates become U+FFFD.
    """
    value = _SURROGATE.sub("\ufffd", value)
    folded = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    return " ".join(folded.split())


def check_address(addr: str) -> str:
    """Return ``addr`` stripped if it is one plain ``local@domain`` address; else raise InputProblem.

    Only ASCII dot-atoms are accepted: no spaces, control characters, ``,;<>"()``, quoting,
    comments or second ``@``, so a value can never smuggle in another recipient or header.
    """
    candidate = addr.strip()
    # "=?" could start an RFC 2047 encoded word, which Address() and mail clients decode
    # (a@=?utf-8?q?b?= silently becomes a@b), so no plain address may contain it.
    if len(candidate) > _MAX_ADDRESS or "=?" in candidate or not _ADDR_SPEC.fullmatch(candidate):
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

    Headers: From (only when ``sender`` is given), To (left out when ``to`` is empty),
    Subject, ``X-Unsent: 1`` and the MIME headers; no Date or Message-ID, which the mail
    client adds when sending. Non-ASCII header text becomes RFC 2047 encoded words; the body
    is UTF-8 text/plain, quoted-printable, with CRLF line endings and a final line break.
    Raises InputProblem for an unusable address.

    The bytes are exactly what ``email.message.EmailMessage`` with ``set_content(...,
    cte="quoted-printable")`` and the SMTP policy writes for these headers (a test holds the
    two equal), built directly because the email package takes about 1 ms a message and a
    batch writes tens of thousands.
    """
    head = []
    if sender is not None:
        head.append("From: " + _mailbox_list("From", [sender]))
    if to:
        head.append("To: " + _mailbox_list("To", to))
    head.append("Subject: " + _unstructured("Subject", clean_header_text(subject)))
    head += ["X-Unsent: 1", 'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: quoted-printable",
             "MIME-Version: 1.0"]  # fmt: skip
    text = _SURROGATE.sub("\ufffd", body).replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    lines = text.encode("utf-8").splitlines()
    encoded = body_encode((b"\n".join(lines) + b"\n").decode("latin-1"), _BODY_LINE)
    return ("\r\n".join(head) + "\r\n\r\n" + encoded.replace("\n", "\r\n")).encode("ascii")


_BODY_LINE = SMTP.max_line_length or 78


# From, To and Subject are rendered here rather than by the email package's folder. In
# Python 3.11 that folder (1) writes a space that falls on a fold *between* two encoded
# words, where RFC 2047 6.2 tells readers to drop it ("Государственной Думы" arrives as
# "ГосударственнойДумы"; CPython gh-144156), and (2) writes plain text that merely looks
# like an encoded word ("=?utf-8?q?hi?=") unencoded, so clients show "hi". Here, text is
# either plain printable ASCII folded at its own spaces, or entirely encoded words that
# carry their spaces inside.

_FOLD = "\r\n "
_MAX_LINE = 78  # RFC 5322 2.1.1 (SHOULD); only a line holding a very long address exceeds it
# 40 UTF-8 bytes -> 56 base64 characters -> a 68-character encoded word (RFC 2047 allows
# 75), so even "Subject: " plus one word fits in 78 characters.
_EW_BYTES = 40


def _plain_ok(text: str) -> bool:
    """Whether ``text`` may be written as it is: printable ASCII that no reader would decode."""
    return text.isascii() and "=?" not in text


def _encoded_words(text: str) -> list[str]:
    """``text`` as base64 UTF-8 encoded words, split between code points (never inside one)."""
    chunks: list[str] = []
    chunk = ""
    size = 0
    for ch in text:
        width = len(ch.encode("utf-8"))
        if chunk and size + width > _EW_BYTES:
            chunks.append(chunk)
            chunk, size = "", 0
        chunk += ch
        size += width
    if chunk:
        chunks.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(c.encode('utf-8')).decode('ascii')}?=" for c in chunks]


def _unstructured(name: str, text: str) -> str:
    """A Subject value: plain ASCII folded at its single spaces if every line fits, else encoded words."""
    if _plain_ok(text):
        lines: list[str] = []
        line = ""
        room = _MAX_LINE - len(name) - 2  # after "Subject: "
        for word in text.split(" "):
            if not line or len(line) + 1 + len(word) <= room:
                line = f"{line} {word}" if line else word
            else:
                lines.append(line)
                line, room = word, _MAX_LINE - 1  # a folded line starts with the space it replaces
            if len(line) > room:
                break
        else:
            lines.append(line)
            return _FOLD.join(lines)  # unfolding (dropping each CRLF) gives back ``text``
    return _FOLD.join(_encoded_words(text))


def _mailbox_list(header: str, mailboxes: list[tuple[str, str]]) -> str:
    rendered: list[str] = []
    for name, addr in mailboxes:
        indent = len(header) + 2 if not rendered else 1
        rendered.append(_mailbox(clean_header_text(name), check_address(addr), indent))
    return f",{_FOLD}".join(rendered)


def _mailbox(name: str, addr: str, indent: int) -> str:
    plain = _address(name, addr)
    if not name or (_plain_ok(name) and indent + len(plain) + 1 <= _MAX_LINE):
        return plain
    words = _encoded_words(name)
    last_line = (indent if len(words) == 1 else 1) + len(words[-1])
    gap = " " if last_line + len(addr) + 4 <= _MAX_LINE else _FOLD  # " <" addr ">" ","
    return f"{_FOLD.join(words)}{gap}<{addr}>"


# RFC 5322 specials: a display name holding one is quoted, as email.headerregistry.Address does.
_SPECIALS = frozenset('()<>@,:;.\\"[]')


def _address(name: str, addr: str) -> str:
    """``str(Address(display_name=name, addr_spec=addr))`` for a checked dot-atom ``addr``, without the
    header parser (a test holds the two equal)."""
    if not name:
        return addr
    if not _SPECIALS.isdisjoint(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{addr}>"


# Quoted-printable as email.quoprimime.body_encode writes it (a test holds the two equal), with the
# escaping done by one regex instead of a per-character table: letters are mostly ASCII.
_QP_UNSAFE = re.compile("[^\t\r\n -<>-~]")


def _qp_escape(match: re.Match[str]) -> str:
    return f"={ord(match.group()):02X}"


def body_encode(body: str, maxlinelen: int = 76) -> str:
    """Quoted-printable ``body`` (bytes as latin-1 characters), lines wrapped at ``maxlinelen``."""
    if not body:
        return body
    body = _QP_UNSAFE.sub(_qp_escape, body)
    soft_break, limit = "=\n", maxlinelen - 1
    encoded: list[str] = []
    append = encoded.append
    for line in body.splitlines():
        start, laststart = 0, len(line) - 1 - maxlinelen
        while start <= laststart:
            stop = start + limit
            if line[stop - 2] == "=":
                append(line[start : stop - 1])
                start = stop - 2
            elif line[stop - 1] == "=":
                append(line[start:stop])
                start = stop - 1
            else:
                append(line[start:stop] + "=")
                start = stop
        if line and line[-1] in " \t":
            room = start - laststart
            if room >= 3:
                tail = f"={ord(line[-1]):02X}"
            elif room == 2:
                tail = line[-1] + soft_break
            else:
                tail = soft_break + f"={ord(line[-1]):02X}"
            append(line[start:-1] + tail)
        else:
            append(line[start:])
    if body[-1] in "\r\n":
        append("")
    return "\n".join(encoded)


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
    """A safe ASCII file name for a draft: ``("Sen. José Núñez", "Chechnya")`` → ``sen-jose-nunez-chechnya.eml``.

    Accents are dropped (NFKD), a few Latin letters without a decomposition are spelled out
    (ß → ss, ø → o, ł → l), and every other run of characters becomes one ``-``.
    """
    decomposed = unicodedata.normalize("NFKD", " ".join(parts).translate(_SPELLED_OUT))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:_MAX_SLUG].rstrip("-")
    if not slug:
        return "draft.eml"
    if slug in _WINDOWS_RESERVED:
        slug += "-draft"
    return f"{slug}.eml"
