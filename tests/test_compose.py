"""Tests for advocate.drafts.eml (.eml drafts, mailto URIs, file names) and advocate.drafts.opener."""

import email.policy
import os
import re
import shutil
import subprocess
import sys
from email.header import decode_header, make_header
from email.headerregistry import AddressHeader, BaseHeader
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from advocate.drafts import opener
from advocate.drafts.eml import (
    MAILTO_LIMIT,
    build_eml,
    build_mailto,
    check_address,
    clean_header_text,
    draft_filename,
    mailto_too_long,
)
from advocate.errors import InputProblem
from tests.helpers import mailboxes

MIME_HEADERS = ["MIME-Version", "Content-Type", "Content-Transfer-Encoding"]
PROPERTY = settings(max_examples=200, deadline=None)


def parse(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def crlf(text: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", text)


def expected_body(text: str) -> str:
    text = crlf(text)
    return text if text.endswith("\r\n") else text + "\r\n"


def assert_wire_format(data: bytes) -> None:
    assert all(b < 128 for b in data), "draft is not 7-bit clean"
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF in draft"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR in draft"
    assert data.endswith(b"\r\n")
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998


# --------------------------------------------------------------------------- .eml drafts


NAMES = ["Sen. José Núñez", "Dr. Müller", "Éloïse Dupont", "O'Brien, Mary", 'The "Hon." A. Smith', ""]


@pytest.mark.parametrize("name", NAMES)
def test_eml_round_trip(name: str) -> None:
    subject = "Chechnya — stop the persecution now 🏳️‍🌈"
    body = "Dear Sen. Núñez,\n\nHerr Müller and Éloïse — we ask you… 🙏\n\nFrom a constituent\n"
    data = build_eml([(name, "jose.nunez@senate.example.gov")], subject, body)
    assert_wire_format(data)
    msg = parse(data)
    assert mailboxes(msg) == [(name, "jose.nunez@senate.example.gov")]
    assert msg["To"].addresses[0].display_name == name  # short names need no workaround
    assert msg["Subject"] == subject
    assert msg["X-Unsent"] == "1"
    for absent in ("Date", "From", "Message-ID", "Cc", "Bcc"):
        assert absent not in msg
    assert sorted(msg.keys()) == sorted(["To", "Subject", "X-Unsent", *MIME_HEADERS])
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    assert msg.get_content() == expected_body(body)


def test_eml_headers_are_encoded_words_and_body_is_quoted_printable() -> None:
    data = build_eml([("Sen. José Núñez", "jose@senate.example.gov")], "Chechnya — now", "Núñez\n")
    assert b"To: =?utf-8?" in data
    assert b"<jose@senate.example.gov>" in data
    assert b"Subject: =?utf-8?b?Q2hlY2hueWEg4oCUIG5vdw==?=\r\n" in data
    assert b"N=C3=BA=C3=B1ez\r\n" in data
    assert b"Date:" not in data and b"Message-ID:" not in data


def test_eml_sender_adds_from() -> None:
    data = build_eml([("Rep. A", "a@house.example.gov")], "Hi", "Body", sender=("Müller Ünal", "me@example.org"))
    msg = parse(data)
    assert mailboxes(msg, "From") == [("Müller Ünal", "me@example.org")]
    assert sorted(msg.keys()) == sorted(["From", "To", "Subject", "X-Unsent", *MIME_HEADERS])
    assert "Date" not in msg and "Message-ID" not in msg


def test_eml_several_recipients_and_no_display_name() -> None:
    to = [("Sen. A", "a@senate.example.gov"), ("", "b@senate.example.gov"), ("Núñez, José", "c@x.org")]
    msg = parse(build_eml(to, "s", "b"))
    assert mailboxes(msg) == to
    assert len(msg["To"].addresses) == 3


def test_eml_without_recipients_has_no_to() -> None:
    msg = parse(build_eml([], "s", "b"))
    assert "To" not in msg
    assert msg["X-Unsent"] == "1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "\r\n"),
        ("one line", "one line\r\n"),
        ("a\r\nb\rc\nd", "a\r\nb\r\nc\r\nd\r\n"),
        ("trailing spaces   \n\ttab\t\n", "trailing spaces   \r\n\ttab\t\r\n"),
        ("=3D and = and =\n", "=3D and = and =\r\n"),
        ("From me\n.\n..\n", "From me\r\n.\r\n..\r\n"),
        ("x" * 2000, "x" * 2000 + "\r\n"),
        ("nul\x00 ff\x0c vt\x0b nel\x85 ls\u2028 ps\u2029", "nul\x00 ff\x0c vt\x0b nel\x85 ls\u2028 ps\u2029\r\n"),
        ("bad \udcff surrogate", "bad \ufffd surrogate\r\n"),
    ],
)
def test_eml_body_round_trip(body: str, expected: str) -> None:
    data = build_eml([("A", "a@example.org")], "s", body)
    assert_wire_format(data)
    assert parse(data).get_content() == expected


@pytest.mark.parametrize(
    "evil",
    [
        "hi\r\nBcc: evil@example.com",
        "hi\nBcc: evil@example.com",
        "hi\rBcc: evil@example.com",
        "hi\u2028Bcc: evil@example.com",
        "hi\x85Bcc: evil@example.com",
        "hi\x00\x0b\x0cBcc: evil@example.com",
    ],
)
def test_eml_header_injection_is_folded_away(evil: str) -> None:
    data = build_eml([(evil, "a@example.org")], evil, "body", sender=(evil, "me@example.org"))
    assert_wire_format(data)
    msg = parse(data)
    assert "Bcc" not in msg
    assert b"\r\nBcc:" not in data
    assert msg["Subject"] == "hi Bcc: evil@example.com"
    assert mailboxes(msg) == [("hi Bcc: evil@example.com", "a@example.org")]


@pytest.mark.parametrize(
    "lookalike",
    ["=?utf-8?q?evil?=", "Re: =?utf-8?b?ZXZpbA==?= x", "a=?utf-8?q?b?=c", "=?utf-8?q?a=0D=0ABcc:_x@y?="],
)
def test_eml_text_that_looks_like_an_encoded_word_is_kept_literally(lookalike: str) -> None:
    data = build_eml([(lookalike, "a@example.org"), ("Plain", "b@example.org")], lookalike, "b")
    assert_wire_format(data)
    msg = parse(data)
    assert msg["Subject"] == lookalike
    assert mailboxes(msg) == [(lookalike, "a@example.org"), ("Plain", "b@example.org")]
    assert lookalike.encode() not in data


def test_eml_long_values_fold_and_round_trip() -> None:
    name = "Депутат Государственной Думы Иван Иванович Иванов-Петров"
    subject = "Чечня — " * 30 + "x" * 120
    long_addr = "a" * 64 + "@" + ".".join(["b" * 40] * 4) + ".example"
    for to in ([(name, "a@b.org")], [("=?x " + name, long_addr)]):
        data = build_eml(to, subject, "b")
        assert_wire_format(data)
        msg = parse(data)
        assert mailboxes(msg) == to
        assert msg["Subject"] == clean_header_text(subject)


def test_eml_plain_ascii_subject_stays_readable_and_folds_at_spaces() -> None:
    subject = "Please act on the persecution of gay and bisexual men in Chechnya: " * 3
    data = build_eml([("Sen. A", "a@senate.example.gov")], subject, "b")
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    assert "=?" not in head
    assert all(len(line) <= 78 for line in head.split("\r\n"))
    assert parse(data)["Subject"] == clean_header_text(subject)


def test_eml_spaces_survive_folding_between_encoded_words() -> None:
    # Python 3.11's own folder would put this space between two encoded words, where
    # RFC 2047 readers drop it; legacy decode_header follows RFC 2047 6.2, so it shows that.
    name = "Депутат Государственной Думы Иван Иванович Иванов-Петров"
    data = build_eml([(name, "a@b.org")], name, "b")
    raw = dict(parse(data).raw_items())
    assert str(make_header(decode_header(re.sub(r"\r?\n", "", raw["Subject"])))) == name
    assert str(make_header(decode_header(re.sub(r"\r?\n", "", raw["To"]).rsplit(" <", 1)[0]))) == name


def test_eml_rejects_bad_address() -> None:
    with pytest.raises(InputProblem, match="not a usable e-mail address"):
        build_eml([("A", "a@b.com, evil@x.com")], "s", "b")
    with pytest.raises(InputProblem):
        build_eml([("A", "a@b.com")], "s", "b", sender=("Me", "me@x.org\r\nBcc: y@z"))


header_text = st.text() | st.lists(
    st.sampled_from(
        [
            "\r\n",
            "\n",
            "\r",
            "\x00",
            "\u2028",
            "\x85",
            "\t",
            "Bcc: evil@example.com",
            "=?",
            "?=",
            "=?utf-8?q?x?=",
            '"',
            "\\",
            ",",
            "<",
            "@",
            "(",
            "Núñez",
            "—",
            "🏳️‍🌈",
            " ",
            "a",
        ]
    )
    | st.text(),
    max_size=30,
).map("".join)
# Plain dot-atom addresses (no "=?", which check_address refuses).
local_atom = st.from_regex(r"[A-Za-z0-9!#$%&'*+\-/?^_`{|}~]{1,10}", fullmatch=True).filter(lambda s: "=?" not in s)
addresses = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.lists(local_atom, min_size=1, max_size=3).map(".".join),
    st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), min_size=1, max_size=3).map(".".join),
)


@PROPERTY
@given(name=header_text, subject=header_text, body=st.text(), addr=addresses, with_sender=st.booleans())
@example(
    name="x\r\nBcc: evil@example.com",
    subject="s\nBcc: evil@example.com",
    body="a\rb\r\nc\x00",
    addr="a@b.co",
    with_sender=True,
)
@example(name="\u2028", subject="\x85", body="\u2028", addr="a@b.co", with_sender=False)
@pytest.mark.slow
def test_eml_property(name: str, subject: str, body: str, addr: str, with_sender: bool) -> None:
    sender = (name, "me@example.org") if with_sender else None
    data = build_eml([(name, addr)], subject, body, sender=sender)
    assert_wire_format(data)
    msg = parse(data)
    headers = ["To", "Subject", "X-Unsent", *MIME_HEADERS] + (["From"] if with_sender else [])
    assert sorted(msg.keys()) == sorted(headers)
    assert mailboxes(msg) == [(clean_header_text(name), addr)]
    if with_sender:
        assert mailboxes(msg, "From") == [(clean_header_text(name), "me@example.org")]
    assert msg["Subject"] == clean_header_text(subject)
    assert msg["X-Unsent"] == "1"
    assert msg.get_content() == expected_body(body)


# --------------------------------------------------------------------------- header text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Sen.\r\n José\tNúñez  ", "Sen. José Núñez"),
        ("a\u2028b\u2029c\x85d\x00e\x1bf\x7fg", "a b c d e f g"),
        ("a\u00a0\u3000b", "a b"),
        ("\r\n\t ", ""),
        ("🏳️‍🌈 Pride", "🏳️‍🌈 Pride"),  # the zero-width joiner (a format character) stays
    ],
)
def test_clean_header_text(raw: str, clean: str) -> None:
    assert clean_header_text(raw) == clean


@PROPERTY
@given(st.text() | header_text)
def test_clean_header_text_is_one_clean_line(value: str) -> None:
    clean = clean_header_text(value)
    assert clean == clean.strip()
    assert "  " not in clean
    assert len(clean.splitlines()) <= 1  # no CR, LF, VT, FF, FS..RS, NEL, U+2028, U+2029
    assert not any(ch.isspace() and ch != " " for ch in clean)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in clean)
    assert clean_header_text(clean) == clean


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "bad",
    [
        "a@b.com, evil@x.com",
        "a@b.com\r\nBcc: x@y",
        "<a@b.com>",
        "a b@c.com",
        "",
        "no-at-sign",
        "a@b@c.com",
        "@b.com",
        "a@",
        "a;b@c.com",
        '"a"@b.com',
        "a(comment)@b.com",
        "Name <a@b.com>",
        "a@b.com\x00",
        "a@[127.0.0.1]",
        "a..b@c.com",
        "a@b..com",
        ".a@b.com",
        "a@=?utf-8?q?b?=",
        "=?utf-8?q?a?=@b.com",
        "jos\u00e9@b.com",
        "a@b.com\u2028x",
        "a" * 245 + "@b.example",
    ],
)
def test_check_address_rejects(bad: str) -> None:
    with pytest.raises(InputProblem, match="not a usable e-mail address"):
        check_address(bad)


@pytest.mark.parametrize("good", ["a@b.com", "first.last+tag@sub.example.gov", "o'brien@x.ie", "a/b?c#d&e=f@x.org"])
def test_check_address_accepts(good: str) -> None:
    assert check_address(f"  {good}\n") == good


@PROPERTY
@given(st.text() | header_text | addresses)
def test_check_address_never_lets_through_more_than_one_mailbox(value: str) -> None:
    try:
        addr = check_address(value)
    except InputProblem:
        return
    parsed = email.policy.default.header_factory("To", addr)
    assert isinstance(parsed, AddressHeader) and isinstance(parsed, BaseHeader)
    assert [a.addr_spec for a in parsed.addresses] == [addr]
    assert not parsed.defects
    assert addr.isascii() and len(addr) <= 254


# --------------------------------------------------------------------------- mailto


def parse_mailto(uri: str) -> tuple[list[str], dict[str, list[str]]]:
    parts = urlsplit(uri)
    assert parts.scheme == "mailto"
    assert parts.fragment == ""
    to = [unquote(a, errors="strict") for a in parts.path.split(",")] if parts.path else []
    return to, parse_qs(parts.query, keep_blank_values=True, strict_parsing=True, errors="strict")


def assert_uri_shape(uri: str) -> None:
    assert uri.isascii()
    assert " " not in uri and "\r" not in uri and "\n" not in uri
    assert uri.count("?") == 1
    assert "+" not in uri  # a literal "+" is %2B, a space is %20
    assert "#" not in uri


def test_mailto_example() -> None:
    uri = build_mailto(["jose@senate.example.gov", "b+c@x.org"], "Chechnya — R&D? 100%", "Dear Núñez,\n\nQ&A: a+b=c #1")
    assert uri == (
        "mailto:jose@senate.example.gov,b%2Bc@x.org"
        "?subject=Chechnya%20%E2%80%94%20R%26D%3F%20100%25"
        "&body=Dear%20N%C3%BA%C3%B1ez%2C%0D%0A%0D%0AQ%26A%3A%20a%2Bb%3Dc%20%231"
    )
    assert_uri_shape(uri)


def test_mailto_subject_is_cleaned_and_body_keeps_line_breaks() -> None:
    uri = build_mailto(["a@b.com"], "x\r\nBcc: evil@example.com", "1\r\n2\r3\n4")
    to, query = parse_mailto(uri)
    assert to == ["a@b.com"]
    assert query == {"subject": ["x Bcc: evil@example.com"], "body": ["1\r\n2\r\n3\r\n4"]}
    assert "%0D%0A" in uri and "%0A%0D" not in uri


def test_mailto_without_recipients_and_with_empty_fields() -> None:
    assert build_mailto([], "", "") == "mailto:?subject=&body="


@pytest.mark.parametrize(
    "bad", ["a@b.com,c@d.com", "a@b.com&bcc=x@y.com", "a@b.com\r\nx@y.com", "a@b.com?bcc=x@y.com", "<a@b.com>"]
)
def test_mailto_rejects_bad_address(bad: str) -> None:
    with pytest.raises(InputProblem, match="not a usable e-mail address"):
        build_mailto([bad], "s", "b")


def test_mailto_address_delimiters_are_percent_encoded() -> None:
    uri = build_mailto(["a?bcc=x&cc=y#z/w@y.com"], "s", "b")
    assert uri.startswith("mailto:a%3Fbcc%3Dx%26cc%3Dy%23z%2Fw@y.com?subject=s&body=b")
    assert parse_mailto(uri)[0] == ["a?bcc=x&cc=y#z/w@y.com"]


def test_mailto_length_limit() -> None:
    assert MAILTO_LIMIT == 1800
    short = build_mailto(["a@b.com"], "s", "x" * 100)
    assert not mailto_too_long(short)
    assert not mailto_too_long("m" * MAILTO_LIMIT)
    assert mailto_too_long("m" * (MAILTO_LIMIT + 1))
    assert mailto_too_long(build_mailto(["a@b.com"], "s", "é" * 400))  # 6 characters per "é"


@PROPERTY
@given(to=st.lists(addresses, max_size=3), subject=header_text, body=st.text() | header_text)
@example(to=["a@b.co"], subject="Bcc: evil@example.com\r\n", body="R&D\r\nQ&A\n+ 100% #1 ?x=y\x00\u2028")
@pytest.mark.slow
def test_mailto_property(to: list[str], subject: str, body: str) -> None:
    uri = build_mailto(to, subject, body)
    assert_uri_shape(uri)
    got_to, query = parse_mailto(uri)
    assert got_to == to
    assert query == {"subject": [clean_header_text(subject)], "body": [crlf(body)]}


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("Sen. José Núñez", "Chechnya"), "sen-jose-nunez-chechnya.eml"),
        (("Dr. Müller",), "dr-muller.eml"),
        (("Éloïse — ½ ﬁle",), "eloise-1-2-file.eml"),
        (("../../etc/passwd",), "etc-passwd.eml"),
        (("",), "draft.eml"),
        ((), "draft.eml"),
        (("—🏳️‍🌈—",), "draft.eml"),
        (("Иван Иванов",), "draft.eml"),
        (("Straße", "Łódź", "Søren", "Ærø"), "strasse-lodz-soren-aero.eml"),
        (("a\x00b/c\\d:e",), "a-b-c-d-e.eml"),
        (("CON",), "con-draft.eml"),
        (("a" * 79 + " b",), "a" * 79 + ".eml"),
    ],
)
def test_draft_filename(parts: tuple[str, ...], name: str) -> None:
    assert draft_filename(*parts) == name


@PROPERTY
@given(st.lists(st.text(), max_size=4))
def test_draft_filename_is_always_safe(parts: list[str]) -> None:
    name = draft_filename(*parts)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.eml", name)
    assert len(name) <= 80 + len(".eml")


# --------------------------------------------------------------------------- opener


class Recorder:
    """Stands in for subprocess.Popen / os.startfile and records every call."""

    def __init__(self, error: type[BaseException] | None = None) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.error = error

    def __call__(self, *args: Any, **kwargs: Any) -> object:
        self.calls.append((args, kwargs))
        if self.error is not None:
            raise self.error("boom")
        return object()


def not_called(*args: Any, **kwargs: Any) -> object:
    raise AssertionError(f"unexpected call {args} {kwargs}")


EVIL_URI = "mailto:a@b.com?subject=x&body=\";$(rm -rf ~);`id` & del *.* | echo %PATH% ' > /tmp/x"


@pytest.fixture
def popen(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(subprocess, "Popen", recorder)
    monkeypatch.setattr(os, "startfile", not_called, raising=False)
    return recorder


@pytest.mark.parametrize("target", [EVIL_URI, "/tmp/drafts/sen-jose-nunez.eml", "C:\\drafts\\a b&c.eml"])
@pytest.mark.parametrize(
    ("platform", "program"), [("darwin", "open"), ("linux", "xdg-open"), ("freebsd14", "xdg-open")]
)
def test_open_draft_posix(
    monkeypatch: pytest.MonkeyPatch, popen: Recorder, platform: str, program: str, target: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}" if name == "xdg-open" else None)
    assert opener.open_draft(target) is True
    [(args, kwargs)] = popen.calls
    assert args == ([program, target],)
    assert kwargs.get("shell", False) is False
    assert kwargs["start_new_session"] is True
    for stream in ("stdin", "stdout", "stderr"):
        assert kwargs[stream] is subprocess.DEVNULL


def test_open_draft_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    startfile = Recorder()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", startfile, raising=False)
    monkeypatch.setattr(subprocess, "Popen", not_called)
    assert opener.open_draft(EVIL_URI) is True
    assert startfile.calls == [((EVIL_URI,), {})]


def test_open_draft_windows_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", Recorder(OSError), raising=False)
    monkeypatch.setattr(subprocess, "Popen", not_called)
    assert opener.open_draft("C:\\drafts\\a.eml") is False


def test_open_draft_without_xdg_open(monkeypatch: pytest.MonkeyPatch, popen: Recorder) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert opener.open_draft("/tmp/a.eml") is False
    assert popen.calls == []


@pytest.mark.parametrize("error", [OSError, FileNotFoundError, PermissionError, ValueError])
@pytest.mark.parametrize("platform", ["darwin", "linux"])
def test_open_draft_handler_failure(monkeypatch: pytest.MonkeyPatch, platform: str, error: type[Exception]) -> None:
    failing = Recorder(error)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/xdg-open")
    monkeypatch.setattr(subprocess, "Popen", failing)
    assert opener.open_draft("/tmp/a.eml") is False
    assert len(failing.calls) == 1


def test_open_draft_target_starting_with_dash_is_not_an_option(
    monkeypatch: pytest.MonkeyPatch, popen: Recorder
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/xdg-open")
    assert opener.open_draft("--help.eml") is True
    assert popen.calls[0][0] == (["xdg-open", os.path.join(os.curdir, "--help.eml")],)


def reference_mailbox_list(header: str, mailboxes: list[tuple[str, str]]) -> str:
    """compose._mailbox_list with display names quoted by email.headerregistry.Address itself."""
    from email.headerregistry import Address

    from advocate.drafts import eml as compose

    real = compose._address
    compose._address = lambda name, addr: str(Address(display_name=name, addr_spec=addr))  # type: ignore[assignment]
    try:
        return compose._mailbox_list(header, mailboxes)
    finally:
        compose._address = real


def reference_eml(to: list[tuple[str, str]], subject: str, body: str, sender: tuple[str, str] | None = None) -> bytes:
    """The same draft built by the email package (slow): build_eml must write exactly these bytes."""
    from advocate.drafts import eml as compose

    msg = EmailMessage()
    if sender is not None:
        msg.set_raw("From", reference_mailbox_list("From", [sender]))
    if to:
        msg.set_raw("To", reference_mailbox_list("To", to))
    msg.set_raw("Subject", compose._unstructured("Subject", clean_header_text(subject)))
    msg["X-Unsent"] = "1"
    text = re.sub("[\ud800-\udfff]", "\ufffd", body).replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    return msg.as_bytes(policy=email.policy.SMTP.clone(refold_source="none"))


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=60),
    subject=st.text(max_size=120),
    body=st.text(max_size=600) | st.text(alphabet=" \t=.\n\r\xe9\u00a0x", max_size=400),
    sender=st.none() | st.tuples(st.text(max_size=30), st.just("me@example.org")),
)
@example(name="", subject="", body="", sender=None)
@example(
    name='O\'Brien, "Mary" \\ Jr.',
    subject="x",
    body="\x0b\x0c\x1c\x85\u2028=\t \n",
    sender=("a.b; c", "me@example.org"),
)
@example(name="x", subject="s", body="line ending in space \nand tab\t\n" + "y" * 200 + " \n=", sender=None)
def test_build_eml_writes_exactly_what_the_email_package_writes(name, subject, body, sender) -> None:
    to = [(name, "rep@example.org")]
    assert build_eml(to, subject, body, sender) == reference_eml(to, subject, body, sender)
