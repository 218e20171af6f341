"""`advocate data update` / `data reset` against a real HTTP server on 127.0.0.1, started here.

No mock of requests: the files are served over loopback (tests/loopback.py), built from the bundled data in
their upstream formats (tests/rawfiles.py). A guard fails any test that tries to connect beyond loopback.
Every fault: one line naming the dataset and the cause, exit 1, and the lookups answering as before.
"""

import hashlib
import ipaddress
import json
import os
import re
import socket
import subprocess
import sys

import pytest

from advocate.opendata import store
from tests import rawfiles
from tests.loopback import LoopbackServer, closed_port, cut_off, fail, stall, unsized

pytestmark = pytest.mark.slow  # loopback HTTP servers and dataset rebuilds: the full suite runs them

US_PATHS = {
    "us-legislators": "/legislators-current.yaml",
    "us-offices": "/legislators-district-offices.yaml",
    "us-zccd": "/zccd.csv",
}
GB_PATH = "/mp_lookup.csv"
GB_CURRENT_PATH = "/current-MPs.csv"
LOOKUPS = [
    ("reps", "lookup", "-c", "US", "--zip", "10001", "--json"),
    ("reps", "lookup", "-c", "GB", "--constituency", "Aberafan Maesteg", "--json"),
]
TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test reaches anything but loopback; no proxy; no backoff waits."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            assert ipaddress.ip_address(address[0]).is_loopback, f"a test tried to connect to {address}"
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ADVOCATE_HTTP_BACKOFF", "0")
    monkeypatch.setenv("ADVOCATE_HTTP_TIMEOUT", "5")


@pytest.fixture(scope="module")
def bundled():
    return {key: rawfiles.bundled(key) for key in ("us", "gb")}


@pytest.fixture(scope="module")
def files(bundled):
    """The upstream files as they are (same people as bundled) and changed by three by-elections."""
    us, gb = bundled["us"], bundled["gb"]
    us_gone = [p["id"] for p in us["people"] if p["district"] in ("NY-10", "NY-12")] + ["us-S000148"]
    gb_gone = [p["id"] for p in gb["people"] if p["district_name"] in ("Aberafan Maesteg", "Aldershot", "Bath")]
    us_new = rawfiles.replace_members(us["people"], set(us_gone))
    gb_new = rawfiles.replace_members(gb["people"], set(gb_gone))
    return {
        "us-legislators": rawfiles.us_legislators(us["people"]),
        "us-offices": rawfiles.us_offices(us["people"]),
        "us-zccd": rawfiles.us_zccd(us["geo"]["zcta"]),
        "us-legislators-changed": rawfiles.us_legislators(us_new),
        "us-offices-changed": rawfiles.us_offices(us_new),
        "gb-mps": rawfiles.gb_mp_lookup(gb["people"], gb["geo"]["councils"]),
        "gb-current-mps": rawfiles.gb_current_mps(gb["people"]),
        "gb-mps-changed": rawfiles.gb_mp_lookup(gb_new, gb["geo"]["councils"]),
        "gb-600": rawfiles.gb_mp_lookup(gb["people"][:600], gb["geo"]["councils"]),
        "us-gone": us_gone,
        "gb-gone": gb_gone,
    }


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def serve_us(server, files, changed=True, **replace):
    """Serve the three US files (changed by default; ``replace`` swaps one route); the --source arguments."""
    for name, path in US_PATHS.items():
        key = f"{name}-changed" if changed and f"{name}-changed" in files else name
        server.routes[path] = replace.get(name.replace("us-", ""), files[key])
    return [arg for name, path in US_PATHS.items() for arg in ("--source", f"{name}={server.url(path)}")]


def serve_gb(server, route, current=None):
    """Serve mp_lookup.csv (``route``) and its supplement current-MPs.csv (the bundled one unless ``current``)."""
    server.routes[GB_PATH] = route
    server.routes[GB_CURRENT_PATH] = current or rawfiles.gb_current_mps(rawfiles.bundled("gb")["people"])
    return ["--source", f"gb-mps={server.url(GB_PATH)}", "--source", f"gb-current-mps={server.url(GB_CURRENT_PATH)}"]


def answers(cli):
    """What the lookups and `data info` say, read afresh from disk."""
    store.load.cache_clear()
    out = []
    for args in LOOKUPS:
        r = cli(*args)
        assert r.exit_code == 0, r.output
        out.append(json.loads(r.stdout))
    out.append(json.loads(cli("data", "info", "--json").stdout))
    return out


def user_files():
    folder = store.paths("us")[0].parent
    return {p.name: p.read_bytes() if p.is_file() else None for p in folder.iterdir()} if folder.is_dir() else {}


def update_fails(cli, *args):
    """An update that must fail: exit 1, one line on stderr, nothing replaced, the same answers after."""
    before, copies = answers(cli), user_files()
    r = cli("data", "update", *args)
    assert r.exit_code == 1, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert answers(cli) == before
    assert user_files() == copies  # no copy replaced, no temp file left behind
    print(r.stderr, end="")  # pytest -s shows every fault's line
    return r.stderr.rstrip("\n")


def names(result_json):
    return {p["name"] for p in result_json["representatives"]}


# ---------------------------------------------------------------- the fixture files


@pytest.mark.slow
def test_fixture_files_parse_back_to_the_bundled_data(bundled, files):
    from advocate.importer.build import parse_dataset

    intl_geo = rawfiles.bundled("intl")["geo"]
    for key in ("us", "gb"):
        parsed = parse_dataset(key, files.__getitem__, intl_geo)
        assert parsed["people"] == bundled[key]["people"] and parsed["geo"] == bundled[key]["geo"], key


# ---------------------------------------------------------------- acceptance


@pytest.mark.slow
def test_update_us_from_loopback_then_info_lookup_and_reset(cli, server, files):
    bundled_file = store.paths("us")[1]
    bundled_hash = hashlib.sha256(bundled_file.read_bytes()).hexdigest()
    before = answers(cli)
    assert "Alex Newmember1" not in names(before[0])

    r = cli("data", "update", *serve_us(server, files))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"us: updated — 537 members, as of {TODAY}; 3 left, 3 joined"
    assert [line.split(":")[0] for line in lines[1:]] == ["  left"] * 3 + ["  joined"] * 3 + ["  note"]
    # Open States is a folder of a git repository, no single file: its contact forms are kept, and that is said.
    assert (
        lines[-1].startswith("  note: us-openstates: no single file to download")
        and "kept the contact forms" in lines[-1]
    )
    assert {line.rsplit("[", 1)[1].rstrip("]") for line in lines[1:4]} == set(files["us-gone"])
    assert "  joined: Alex Newmember1 [us-Z000001]" in lines
    assert all(server.hits[path] == 1 for path in US_PATHS.values())

    # data info: the updated copy, as of the download date, with each source's address and download time.
    info = {d["dataset"]: d for d in json.loads(cli("data", "info", "--json").stdout)}
    us = info["us"]
    assert us["origin"] == "updated" and us["as_of"] == TODAY and us["members"] == 537
    assert us["valid_until"] == "2027-01-03" and us["stale"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", us["downloaded"])
    fetched, (kept,) = us["sources"][:3], us["sources"][3:]
    assert [(s["name"], s["url"]) for s in fetched] == [(n, server.url(p)) for n, p in US_PATHS.items()]
    assert all(s["downloaded"] and s["as_of"] == TODAY and s["commit"] is None for s in fetched)
    assert kept["name"] == "us-openstates" and kept["kept"] is True and kept["commit"]
    assert fetched[2]["congress"] == 119  # the ZIP table's Congress
    forms = sum(1 for p in store.load("us")["people"] if p["channels"]["contact_form"])
    assert forms >= 520  # the Open States forms survive the update
    assert info["gb"]["origin"] == "bundled"
    text = cli("data", "info").stdout
    assert f"  as of {TODAY}, valid until 2027-01-03\n  copy: updated, downloaded " in text
    assert f"  source: us-zccd {server.url('/zccd.csv')}, downloaded " in text

    # reps lookup answers from the new copy: NY-10 and NY-12 have new members, and Schumer's seat too.
    after = answers(cli)
    assert {"Alex Newmember1", "Alex Newmember2", "Alex Newmember3"} <= names(after[0])
    assert after[1] == before[1]  # GB untouched
    assert store.paths("us")[0].is_file()
    assert hashlib.sha256(bundled_file.read_bytes()).hexdigest() == bundled_hash  # never modified

    r = cli("data", "reset")
    assert r.exit_code == 0
    assert (
        r.stdout.splitlines()[0]
        == f"us: removed the updated copy {store.paths('us')[0]}; back to the bundled copy, as of 2026-06-15"
    )
    assert "gb: already the bundled copy, as of 2026-06-27" in r.stdout
    assert answers(cli) == before
    assert not store.paths("us")[0].exists()


def test_dry_run_lists_who_left_and_joined_and_replaces_nothing(cli, server, files):
    before = answers(cli)
    r = cli("data", "update", "--dry-run", *serve_gb(server, files["gb-mps-changed"]))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"gb: checked, nothing replaced (--dry-run) — 650 members, as of {TODAY}; 3 left, 3 joined"
    assert "  joined: Alex Newmember1 [gb-990001]" in lines and "  left: Stephen Kinnock [gb-4359]" in lines
    assert answers(cli) == before and user_files() == {}

    r = cli("data", "update", "--dry-run", "--json", *serve_gb(server, files["gb-mps-changed"]))
    (out,) = json.loads(r.stdout)
    assert out["status"] == "checked" and out["members"] == 650 and r.stderr == ""
    assert {p["id"] for p in out["left"]} == set(files["gb-gone"]) and len(out["joined"]) == 3


def test_the_same_data_again_says_no_one_left_or_joined(cli, server, files):
    r = cli("data", "update", *serve_gb(server, files["gb-mps"]))
    assert r.stdout == f"gb: updated — 650 members, as of {TODAY}; no one left or joined\n"


def test_several_datasets_one_failing_keeps_the_others_new_data(cli, server, files):
    before = answers(cli)
    server.routes[GB_PATH] = files["gb-mps-changed"]
    args = serve_us(server, files, zccd=fail(404, 99)) + serve_gb(server, files["gb-mps-changed"])
    r = cli("data", "update", *args)
    assert r.exit_code == 1
    assert r.stderr == f"Error: us: us-zccd: HTTP 404 Not Found from {server.url('/zccd.csv')}\n"
    assert r.stdout.startswith(f"gb: updated — 650 members, as of {TODAY}; 3 left, 3 joined\n")
    after = answers(cli)
    assert after[0] == before[0]  # US as before
    assert "Alex Newmember1" in names(after[1])  # GB new
    assert {d["dataset"]: d["origin"] for d in after[2]} == {
        "us": "bundled",
        "gb": "updated",
        "de": "bundled",
        "fr": "bundled",
        "intl": "bundled",
    }


@pytest.mark.slow
def test_an_update_after_valid_until_is_fresh_again(cli, server, files, monkeypatch):
    monkeypatch.setenv("ADVOCATE_TODAY", "2027-01-05")
    assert "run `advocate data update`" in cli(*LOOKUPS[0]).stderr  # past 2027-01-03: stale
    assert cli("data", "update", *serve_us(server, files)).exit_code == 0
    r = cli(*LOOKUPS[0])
    # the members are fresh again; the curated Speaker entry (valid until 2027-01-03) still needs a re-check
    assert r.exit_code == 0 and "run `advocate data update`" not in r.stderr
    assert r.stderr.startswith("Warning: the United States Congress office-holders and ministries (curated) are past")
    us = json.loads(cli("data", "info", "--json").stdout)[0]
    assert us["as_of"] == "2027-01-05" and us["valid_until"] is None and us["stale"] is None


# ---------------------------------------------------------------- faults


def test_connection_refused(cli, server, files):
    args = serve_us(server, files)
    url = f"http://127.0.0.1:{closed_port()}/zccd.csv"
    line = update_fails(cli, *args, "--source", f"us-zccd={url}")
    assert line == f"Error: us: us-zccd: connection refused by {url.split('/')[2]} ({url})"


@pytest.mark.slow
def test_read_timeout(cli, server, monkeypatch):
    monkeypatch.setenv("ADVOCATE_HTTP_TIMEOUT", "0.2")
    line = update_fails(cli, *serve_gb(server, stall(10)))
    address = server.url("")[len("http://") :]
    assert line == f"Error: gb: gb-mps: read timeout: {address} sent nothing for 0.2 s ({server.url(GB_PATH)})"
    assert server.hits[GB_PATH] == 3  # the first try and two retries


@pytest.mark.parametrize(
    ("status", "headers"), [(500, ()), (503, ()), (429, (("Retry-After", "0"),))], ids=["500", "503", "429"]
)
def test_http_error_then_success_is_retried(cli, server, files, status, headers):
    r = cli("data", "update", *serve_gb(server, fail(status, 1, then=files["gb-mps-changed"], headers=headers)))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("gb: updated — 650 members")
    assert server.hits[GB_PATH] == 2
    assert "Alex Newmember1" in names(answers(cli)[1])


def test_http_500_every_time_gives_up_after_three_retries(cli, server):
    line = update_fails(cli, *serve_gb(server, fail(500, 99)))
    assert line == f"Error: gb: gb-mps: HTTP 500 Internal Server Error from {server.url(GB_PATH)}"
    assert server.hits[GB_PATH] == 4


def test_http_404(cli, server, files):
    args = serve_us(server, files, legislators=fail(404, 99))
    line = update_fails(cli, *args)
    assert line == f"Error: us: us-legislators: HTTP 404 Not Found from {server.url('/legislators-current.yaml')}"
    assert server.hits["/legislators-current.yaml"] == 1  # a 404 is not retried


def test_body_cut_off_half_way(cli, server, files):
    line = update_fails(cli, *serve_gb(server, cut_off(files["gb-mps"])))
    size = f"{len(files['gb-mps']):,}"
    assert re.fullmatch(rf"Error: gb: gb-mps: the download was cut off after [\d,]+ of {size} bytes \(.*\)", line)


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("oversized", "is 300,000 bytes, more than the 200,000 allowed"),
        ("unsized", "is more than the 200,000 bytes allowed; stopped"),
    ],
)
def test_size_cap(cli, server, route, message):
    body = b"# padding\n" * 30_000
    server.routes["/contacts.yaml"] = body if route == "oversized" else unsized(body)
    line = update_fails(cli, "--source", f"intl-contacts={server.url('/contacts.yaml')}")
    assert line == f"Error: intl: intl-contacts: {server.url('/contacts.yaml')} {message}"


@pytest.mark.parametrize("kind", ["csv", "yaml", "json"])
def test_malformed_file(cli, server, files, kind):
    if kind == "csv":
        bad = files["gb-mps"].replace(b'"Aldershot",', b'"Aldershot"x,', 1)
        line = update_fails(cli, *serve_gb(server, bad))
        assert line == "Error: gb: gb-mps: not valid CSV (',' expected after '\"')"
    elif kind == "yaml":
        line = update_fails(cli, *serve_us(server, files, legislators=b"- id: {bioguide: [A000001\n- name: x\n"))
        assert line.startswith("Error: us: us-legislators: not valid YAML (")
    else:
        server.routes["/wks.json"] = b'{"wahlkreise": [1, 2,'
        server.routes["/emails.json"] = server.routes["/genders.json"] = b"{}"
        server.routes["/stammdaten.zip"] = b"PK"
        paths = {"de-wahlkreise": "/wks.json", "de-emails": "/emails.json", "de-genders": "/genders.json",
                 "de-stammdaten": "/stammdaten.zip"}  # fmt: skip
        sources = [f"{name}={server.url(path)}" for name, path in paths.items()]
        line = update_fails(cli, *(arg for source in sources for arg in ("--source", source)))
        assert line.startswith("Error: de: de-wahlkreise: not valid JSON (")


def test_column_renamed(cli, server, files):
    header, rest = files["gb-mps"].split(b"\n", 1)
    renamed = header.replace(b'"member_email"', b'"email_address"') + b"\n" + rest
    line = update_fails(cli, *serve_gb(server, renamed))
    assert line == "Error: gb: gb-mps: missing column(s) member_email; the upstream format may have changed"


def test_zero_members(cli, server, files):
    header_only = files["gb-mps"].split(b"\n", 1)[0] + b"\n"
    line = update_fails(cli, *serve_gb(server, header_only))
    assert line == "Error: gb: gb-mps: 0 members, outside the expected 640–650; refusing this file"


@pytest.mark.parametrize("which", ["members", "zctas"])
@pytest.mark.slow
def test_outside_the_sanity_bounds(cli, server, files, which):
    if which == "members":
        line = update_fails(cli, *serve_gb(server, files["gb-600"]))
        assert line == "Error: gb: gb-mps: 600 members, outside the expected 640–650; refusing this file"
    else:
        few = b"\n".join(files["us-zccd"].split(b"\n")[:1001]) + b"\n"
        line = update_fails(cli, *serve_us(server, files, zccd=few))
        assert re.fullmatch(r"Error: us: us-zccd: only \d+ ZCTAs, expected at least 30,000; refusing this file", line)


def test_previous_updated_copy_survives_a_bad_update(cli, server, files):
    assert cli("data", "update", *serve_gb(server, files["gb-mps-changed"])).exit_code == 0
    assert "Alex Newmember1" in names(answers(cli)[1])
    line = update_fails(cli, *serve_gb(server, files["gb-600"]))  # answers() before and after: still the update
    assert line.startswith("Error: gb: gb-mps: 600 members")
    assert "Alex Newmember1" in names(answers(cli)[1])


def test_data_dir_not_writable(cli, server, files):
    data = store.paths("gb")[0].parent
    data.mkdir(parents=True)
    data.chmod(0o555)
    try:
        if os.access(data, os.W_OK):
            pytest.skip("running as root: a read-only folder is writable anyway (see the next two tests)")
        line = update_fails(cli, *serve_gb(server, files["gb-mps-changed"]))
        assert line == f"Error: gb: cannot write into {data}: Permission denied"
    finally:
        data.chmod(0o755)


def test_data_dir_blocked_by_a_file(cli, server, files):
    data = store.paths("gb")[0].parent
    data.parent.mkdir(parents=True)
    data.write_text("not a folder\n")
    line = update_fails(cli, *serve_gb(server, files["gb-mps-changed"]))
    assert line == f"Error: gb: cannot write into {data}: File exists"
    assert server.hits[GB_PATH] == 0  # checked before downloading anything


def test_data_file_cannot_be_replaced(cli, server, files):
    target = store.paths("gb")[0]
    target.mkdir(parents=True)  # a folder where the copy would go: the download passes, the replace fails
    line = update_fails(cli, *serve_gb(server, files["gb-mps-changed"]))
    assert line == f"Error: gb: cannot write {target}: Is a directory"
    assert server.hits[GB_PATH] == 1


# ---------------------------------------------------------------- options, reset, staleness, imports


def test_intl_has_no_upstream_address_and_stays(cli):
    r = cli("data", "update", "--country", "INTL")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout == "intl: no upstream address; the bundled copy stays (--source intl-contacts=URL)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "nope=http://127.0.0.1/x"), "Error: --source: unknown source 'nope'; the sources are us-"),
        (("--source", "gb-mps"), "Error: --source wants NAME=URL"),
        (("--source", "gb-mps=ftp://127.0.0.1/x"), "Error: --source gb-mps: 'ftp://127.0.0.1/x' is not an http"),
        (("-c", "US", "--source", "gb-mps=http://127.0.0.1/x"), "Error: --source gb-mps is for GB, which --country"),
        (
            (
                "-c",
                "XX",
            ),
            "Error: unknown country 'XX'",
        ),
    ],
)
def test_bad_options_are_one_line(cli, args, message):
    r = cli("data", "update", *args)
    assert r.exit_code == 1 and r.stderr.startswith(message) and r.stderr.count("\n") == 1, r.stderr


def test_reset_one_country_keeps_the_other_update(cli, server, files):
    assert cli("data", "update", *serve_gb(server, files["gb-mps-changed"])).exit_code == 0
    r = cli("data", "reset", "--country", "US")
    assert r.stdout == "us: already the bundled copy, as of 2026-06-15\n"
    assert store.origin("gb") == "updated"
    r = cli("data", "reset", "-c", "UK")
    assert r.stdout.startswith("gb: removed the updated copy ") and store.origin("gb") == "bundled"


def test_stale_warning_suggests_data_update(cli):
    r = cli("reps", "lookup", "-c", "FR", "--postcode", "75007", "--json")
    assert r.stderr.count("\n") == 1 and "run `advocate data update`" in r.stderr
    json.loads(r.stdout)


def test_session_retries_verifies_tls_and_times_out():
    from advocate.opendata import update

    with update.make_session(backoff=0.25) as session:
        retry = session.get_adapter("https://example.org").max_retries
        assert (retry.total, retry.connect, retry.read, retry.status) == (3, 3, 2, 3)
        assert set(retry.status_forcelist) == {429, 500, 502, 503, 504} and retry.allowed_methods == {"GET"}
        assert retry.backoff_factor == 0.25 and retry.respect_retry_after_header
        assert session.verify is True
    assert update.Settings().timeout == (3.05, 30.0)


def test_lookups_do_not_import_requests():
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom advocate.cli import app\n"
        "r = CliRunner().invoke(app, ['reps', 'lookup', '-c', 'US', '--zip', '10001'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('requests', 'urllib3', 'advocate.opendata.update') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
