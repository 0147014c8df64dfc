"""Stage ``stats``: ``patients.tsv`` -> the study's tables under ``stats/`` (comparisons, r x c
tests, Table 1, mutation distribution; see :mod:`ros1trace.cohort.study_stats`)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..manifest import load
from ..cohort.study_stats import (COMPARISON_COLUMNS, COMPARISONS, DISTRIBUTION_COLUMNS, RXC_COLUMNS, RXC_COMPARISONS,
                           comparison_rows, mutation_distribution, rxc_rows)
from ..cohort.table1 import TABLE1_COLUMNS, table1_rows
from ..tsv import read_tsv, write_tsv

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json (config and patient sheet)")
    parser.add_argument("--patients", required=True, help="patients.tsv of the cohort")
    parser.add_argument("--emergence", required=True, help="emergence.tsv of the cohort")
    parser.add_argument("--outdir", required=True, help="where the four stats tables go")


def run(args) -> None:
    manifest = load(args.manifest)
    config = manifest["config"]
    labels = list(config.get("comparisons", [c.label for c in COMPARISONS + RXC_COMPARISONS]))
    known = {c.label for c in COMPARISONS + RXC_COMPARISONS}
    for label in labels:
        if label not in known:
            log.warning("comparison %s is not known to this version of ros1trace; skipped", label)
    seed = int(config.get("seed", 0))
    patients = read_tsv(args.patients)
    emergence = read_tsv(args.emergence)
    outdir = Path(args.outdir)
    write_tsv(outdir / "comparisons.tsv", COMPARISON_COLUMNS, comparison_rows(patients, labels))
    write_tsv(outdir / "comparisons_rxc.tsv", RXC_COLUMNS, rxc_rows(patients, labels, seed))
    clinical = manifest.get("patients", [])
    write_tsv(outdir / "table1.tsv", TABLE1_COLUMNS, table1_rows(patients, clinical, seed))
    distribution = mutation_distribution(patients, emergence)
    write_tsv(outdir / "mutation_distribution.tsv", DISTRIBUTION_COLUMNS, distribution)
    log.info("stats for %d patients written to %s", len(patients), outdir)
