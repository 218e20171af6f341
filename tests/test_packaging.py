"""The built wheel carries the letters and the data, and advocate runs from it outside the checkout."""

import os
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # builds and installs a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pytest.skip("hatchling is not installed (pip install -e '.[test]')")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("advocate-*.whl")
    return path


def test_wheel_contains_letters_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "advocate/representatives.yaml" in names
    assert {f"advocate/data/{key}.json" for key in ("us", "gb", "de", "fr", "intl")} <= names
    bundled_letters = {p.name for p in (ROOT / "letters").glob("*.j2")}
    assert bundled_letters and {f"advocate/letters/{n}" for n in bundled_letters} <= names
    assert not any(n.startswith(("tests/", "letters/")) for n in names)


def test_runs_from_the_wheel_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "advocate", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True)  # fmt: skip

    where = subprocess.run([sys.executable, "-c", "import advocate; print(advocate.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert where.startswith(str(target)), where
    r = run("write", "--country", "GB", "--constituency", "Aldershot", "--template", "crackdown", "--name", "T")
    assert r.returncode == 0, r.stderr
    assert "alex.baker.mp@parliament.uk" in r.stdout
    assert run("templates", "check").returncode == 0
