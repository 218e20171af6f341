"""The one error family of advocate.

Core modules raise these; cli.py prints each as one line on stderr and exits 1. A message
says what was wrong (naming the file, line or value) and what to try, in one line.
"""


class AdvocateError(Exception):
    """A problem the user can fix; the message says what was wrong and what to try."""


class DataError(AdvocateError):
    """Bundled or downloaded data is missing, malformed or fails its checks."""


class LookupFailed(AdvocateError):
    """A postcode, district, constituency or id that the data does not know."""


class TemplateProblem(AdvocateError):
    """A letter template that cannot be loaded, checked or rendered."""


class InputProblem(AdvocateError):
    """A value given by the user (flag, file, CSV cell) that cannot be used."""


class OutputProblem(AdvocateError):
    """A file or folder that cannot be written."""


class RecordProblem(AdvocateError):
    """The local letter record (an SQLite file) is locked, corrupt, or from a newer advocate."""
