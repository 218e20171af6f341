"""What test modules share: paths, the pinned date, the raw-data check, and assertion helpers."""

import base64
import email.policy
import os
import re
from email.header import decode_header, make_header
from email.headerregistry import AddressHeader, BaseHeader
from email.message import EmailMessage
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("ADVOCATE_RAW_DATA", ROOT.parent / "shared" / "data"))
TODAY = "2026-11-24"
SAMPLE = ROOT / "advocate" / "sample_attendees.csv"


def need_raw() -> Path:
    if not (RAW / "README.md").is_file():
        pytest.skip(f"raw open data not found at {RAW} (set ADVOCATE_RAW_DATA); CI has it beside the clone")
    return RAW


# Runs a command and prints its exit status, peak RSS (KiB) and CPU seconds. A child's ru_maxrss starts at
# the RSS of the process that forked it, so a large pytest process would be counted: this small process forks.
_MEASURE = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, use = os.wait4(pid, 0)
sys.stdout.write("\\n" + json.dumps([os.waitstatus_to_exitcode(status), use.ru_maxrss, use.ru_utime + use.ru_stime]))
"""


def measured(argv: list[str], env: dict[str, str]) -> tuple[int, str, int, float]:
    """(exit code, stdout + stderr, peak RSS in bytes, CPU seconds) of one command in a process of its own."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    text, _, last = out.stdout.rpartition("\n")
    code, maxrss, cpu = json.loads(last)
    return code, text + out.stderr, maxrss * 1024, cpu  # ru_maxrss is in KiB on Linux


def one_error_line(r, *needles: str) -> str:
    """The run failed with exactly one line on stderr (no traceback) that holds every needle."""
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error: "), r.stderr
    assert "Traceback" not in r.output
    for needle in needles:
        assert needle in r.stderr
    return r.stderr


# A run of RFC 2047 encoded words separated only by white space.
_EW = r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?="
_EW_RUN = re.compile(rf"{_EW}(?:\s+{_EW})*")


def _merge_encoded_words(match: re.Match[str]) -> str:
    text = str(make_header(decode_header(match.group())))
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def mailboxes(msg: EmailMessage, header: str = "To") -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header, decoded as RFC 2047 6.2 says.

    RFC 2047 says white space between two adjacent encoded words is ignored, but CPython
    before gh-128110 (fixed by python/cpython#130749) keeps it inside display names, so a long
    name folded into several encoded words would come back with extra spaces. So each run of
    adjacent encoded words is first merged into one with the legacy ``email.header`` decoder,
    which does follow 6.2; the rest is the stdlib parser's work.
    """
    raws = [value for name, value in msg.raw_items() if name.lower() == header.lower()]
    assert len(raws) == 1, f"{header} appears {len(raws)} times"
    raw = _EW_RUN.sub(_merge_encoded_words, re.sub(r"\r?\n", "", raws[0]))  # unfold, then merge
    parsed = email.policy.default.header_factory(header, raw)
    assert isinstance(parsed, AddressHeader) and isinstance(parsed, BaseHeader)
    assert not parsed.defects, parsed.defects
    return [(a.display_name, a.addr_spec) for a in parsed.addresses]
