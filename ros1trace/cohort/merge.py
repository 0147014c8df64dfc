"""The batch tables merged into the cohort tables (for stage ``tables``, which also writes the MAF).

Rows are re-sorted on the cohort level so that the result does not depend on the batch size.
"""

from __future__ import annotations

from pathlib import Path

from .. import columns
from ..tsv import read_tsv

TABLES = {  # name -> (columns, sort key)
    "variants": (columns.VARIANTS, lambda r: (r["patient_id"], r["sample_id"], int(r["pos"]), r["ref"], r["alt"])),
    "fusions": (columns.FUSIONS, lambda r: (r["patient_id"], r["sample_id"], r["event_id"], r["gene5"], r["gene3"])),
    "emergence": (columns.EMERGENCE, lambda r: (r["patient_id"], int(r["pos"] or 0), r["ref"], r["alt"])),
    "patients": (columns.PATIENTS, lambda r: r["patient_id"]),
}


def merge(work_dir: Path, batches: list[str], name: str) -> list[dict]:
    rows = []
    for batch in batches:
        rows += read_tsv(work_dir / batch / f"{name}.tsv")
    return sorted(rows, key=TABLES[name][1])
