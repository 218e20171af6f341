"""Turn the raw open-data files into the dataset files advocate ships and reads.

Parsing is kept apart from where the bytes come from: every ``parse_*`` function takes the raw
bytes of its files and returns a ``Dataset`` dict. ``build.py`` reads them from a folder (the
project's ``../shared/data`` at build time); ``advocate data update`` will hand them downloaded bytes.
"""

from .common import Dataset, Person
from .de import parse_de
from .fr import parse_fr
from .gb import parse_gb
from .intl import parse_intl
from .us import parse_us

__all__ = ["Dataset", "Person", "parse_de", "parse_fr", "parse_gb", "parse_intl", "parse_us"]
