"""Where advocate finds its bundled files and the user's own folder.

The design card keeps ``letters/`` and ``representatives.yaml`` beside the package in a checkout;
the wheel carries them inside the package (hatchling force-include). Look inside first, then beside.
The compiled lookup tables live in ``advocate/data/`` in both cases.
"""

import os
from pathlib import Path

from advocate.errors import DataError

DATASETS = ("us", "gb", "de", "fr", "intl")  # advocate/data/<key>.json, in this order everywhere
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def bundled(name: str) -> Path:
    """Path of a bundled top-level resource (``letters`` or ``representatives.yaml``)."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.exists():
            return candidate
    raise DataError(f"bundled {name} is missing from the installation at {PACKAGE_DIR}; reinstall advocate")


def user_home() -> Path:
    """The user's advocate folder: ``$ADVOCATE_HOME`` if set, else the platform's data folder."""
    env = os.environ.get("ADVOCATE_HOME", "").strip()
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("advocate", appauthor=False))


def user_letters_dir() -> Path:
    return user_home() / "letters"


def user_data_dir() -> Path:
    return user_home() / "data"


def user_cache_dir() -> Path:
    """Rebuildable files (parsed front matter); ``$ADVOCATE_HOME/cache`` when that is set."""
    env = os.environ.get("ADVOCATE_HOME", "").strip()
    if env:
        return Path(env).expanduser().resolve() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("advocate", appauthor=False))
