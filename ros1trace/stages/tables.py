"""Stage ``tables``: the batch tables merged into the cohort tables, and the MAF."""

from __future__ import annotations

from pathlib import Path

from ..cohort.merge import TABLES, merge
from ..manifest import load
from ..tsv import write_tsv


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--outdir", required=True)


def run(args) -> None:
    from ..variants.maf import write_maf

    manifest = load(args.manifest)
    batches = sorted(manifest["batches"])
    outdir = Path(args.outdir)
    merged = {name: merge(Path(args.work_dir), batches, name) for name in TABLES}
    for name, rows in merged.items():
        write_tsv(outdir / f"{name}.tsv", TABLES[name][0], rows)
    write_maf(outdir / "variants.maf", merged["variants"], build=manifest["build"])
