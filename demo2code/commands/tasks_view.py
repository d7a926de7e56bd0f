"""How `demo2code tasks list` prints the catalogue: ids first and whole (they are what a
user types), the instruction wrapped to the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from demo2code.benchmarks.base import TaskVariant
from demo2code.commands.console import out

MIN_INSTRUCTION_WIDTH = 30  # below this, each instruction goes on its own lines


def print_tasks(benchmark: str, tasks: Sequence[TaskVariant]) -> None:
    """A table when the terminal has room for whole ids and a readable instruction column;
    otherwise each id on its own line with its instruction indented below."""
    id_w = max((len(t.id) for t in tasks), default=2)
    family_w = max((len(t.family) for t in tasks), default=6)
    if out.width - id_w - family_w - len("split") - 13 >= MIN_INSTRUCTION_WIDTH:
        table = Table(title=f"{benchmark}: {len(tasks)} variants")
        table.add_column("id", no_wrap=True, min_width=id_w)
        table.add_column("family", no_wrap=True, min_width=family_w)
        table.add_column("split", no_wrap=True)
        table.add_column("instruction", ratio=1)
        for t in tasks:
            table.add_row(t.id, t.family, t.split, Text(t.instruction))
        out.print(table)
        return
    out.print(f"{benchmark}: {len(tasks)} variants", highlight=False)
    for t in tasks:
        line = Text.assemble((t.id, "bold"), f" ({t.family}, {t.split})")
        out.print(line, soft_wrap=len(t.id) >= out.width)  # wraps between words, not in ids
        out.print(Padding(Text(t.instruction), (0, 0, 0, 4), expand=False))
