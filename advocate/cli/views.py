"""What the CLI draws on a terminal with Rich: tables of people, the batch summary, progress bars.

(The plain-text views, for pipes, are the core's: advocate.lookup.views.)
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from advocate.records import Person

Report = Callable[[str, int, int | None], None]


def people_table(people: list[Person], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    from advocate.lookup.views import contact_summary, role_line

    table = Table(title=title, show_lines=True, title_justify="left")
    for column in ("Name", "Role", "Contact", "ID"):
        table.add_column(column, overflow="fold")
    for p in people:
        table.add_row(p["name"], role_line(p), "\n".join(contact_summary(p)), p["id"])
    Console().print(table)


def summary_table(rows: list[tuple[str, str]]) -> None:
    """Label/value rows as a small table on stderr (the batch summary)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Batch", title_justify="left", show_header=False)
    table.add_column()
    table.add_column()
    for label, value in rows:
        table.add_row(label, value)
    Console(stderr=True).print(table)


def rows_bar(total: int | None) -> tuple[AbstractContextManager[Any], Callable[[int], None]]:
    """A Rich progress bar on stderr for rows done of ``total``, and the callback that advances it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("rows"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("rows", total=total, rate="")

    def advance(n: int) -> None:
        bar.advance(task, n)
        speed = bar.tasks[0].speed
        if speed:
            bar.update(task, rate=f"{speed:,.0f} rows/s")

    return bar, advance


def download_bar() -> tuple[AbstractContextManager[Any], Report]:
    """A Rich progress bar on stderr, and the callback that feeds it."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def report(name: str, received: int, total: int | None) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=received, total=total)

    return bar, report
