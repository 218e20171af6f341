"""The one error family of advocate, every class of it, and the one place that writes "Error:".

Core modules raise these; the CLI (advocate.cli.common.run) prints each as one line on stderr and
exits 1. A message says what was wrong (naming the file, line or value) and what to try, in one line.
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


class MissingInput(InputProblem):
    """A required input was not given; on a terminal the CLI asks for it instead of failing."""

    def __init__(self, flag: str, question: str, choices: list[str] | None = None, message: str | None = None) -> None:
        super().__init__(message or f"{flag} is missing ({question.rstrip('?')}); give {flag}")
        self.flag, self.question, self.choices = flag, question, choices or []


class OutputProblem(AdvocateError):
    """A file or folder that cannot be written."""


class RecordProblem(AdvocateError):
    """The local letter record (an SQLite file) is locked, corrupt, or from a newer advocate."""


class RowProblem(AdvocateError):
    """One attendee row that cannot be done; it goes to errors.csv and the batch goes on."""


def error_line(problem: AdvocateError | str) -> str:
    """The one line a problem is shown as on stderr."""
    return f"Error: {problem}"
