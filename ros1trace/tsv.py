"""Tables as the contract wants them: tab-separated, one header line, UTF-8, ``\\n`` line ends,
missing values as empty fields, booleans as ``true``/``false``, numbers printed the same way on
every run.  Writes go to a temporary file renamed into place, so a failed job leaves no partial
table behind.
"""

from __future__ import annotations

import csv
import math
import glob
import os
import re
import tempfile
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


def _remove_orphans(path: Path) -> None:
    """Temporaries of ``path`` that a killed job left (``.name.XXXXXXXX``, mkstemp's 8 characters):
    Snakemake runs one job per output at a time, so any such file is an orphan."""
    orphan = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}")
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*"):
        if orphan.fullmatch(candidate.name) and candidate.is_file():
            candidate.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; results are for everyone to read
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


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
