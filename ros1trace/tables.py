"""Workflow stage ``tables``: the batch tables merged into the cohort tables, and the MAF.

Rows are re-sorted on the cohort level so that the result does not depend on the batch size.
"""

from __future__ import annotations

from pathlib import Path

from . import columns
from .manifest import load
from .tsv import read_tsv, write_tsv

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


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--outdir", required=True)


def run(args) -> None:
    from .maf import write_maf

    manifest = load(args.manifest)
    batches = sorted(manifest["batches"])
    outdir = Path(args.outdir)
    merged = {name: merge(Path(args.work_dir), batches, name) for name in TABLES}
    for name, rows in merged.items():
        write_tsv(outdir / f"{name}.tsv", TABLES[name][0], rows)
    write_maf(outdir / "variants.maf", merged["variants"], build=manifest["build"])
