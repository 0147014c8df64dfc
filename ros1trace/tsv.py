"""Tables as the contract wants them: tab-separated, one header line, UTF-8, ``\\n`` line ends,
missing values as empty fields, booleans as ``true``/``false``, numbers printed the same way on
every run.  Writes go to a temporary file renamed into place, so a failed job leaves no partial
table behind.
"""

from __future__ import annotations

import csv
import math
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence


def format_value(value) -> str:
    if type(value) is str:  # most cells: the fast path
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` only if the block succeeds.

    The temporary has a fixed name (``.name.partial``): Snakemake runs one job per output at a time,
    so a temporary that a killed job left behind is simply replaced by the next write of the same
    output -- no scan of the folder, which would cost time growing with every file in it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.partial"
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        if temporary.exists():  # results are for everyone to read (whatever the umask allows)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_tsv(path: Path | str, columns: Sequence[str], rows: Iterable[Mapping]) -> None:
    """Write ``rows`` (mappings; extra keys ignored, missing keys empty) under ``columns``."""
    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        handle.write("\t".join(columns) + "\n")
        for row in rows:  # text cells (most of them) skip format_value: tables reach 10^5 rows
            cells = [v if type(v) is str else format_value(v) for v in map(row.get, columns)]
            handle.write("\t".join(cells) + "\n")


def read_tsv(path: Path | str) -> list[dict[str, str]]:
    """Rows of a table written by ``write_tsv`` (values as text, empty fields as '')."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
