"""Stage ``figures``: the study's figures as PNG + SVG under ``figures/`` (see :mod:`ros1trace.cohort.plots`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ..cohort.plots import load_tables, make_figures
from ..manifest import load
from ..tsv import atomic_path

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json")
    parser.add_argument("--tables-dir", required=True, help="the run's outdir (patients.tsv, stats/, ...)")
    parser.add_argument("--outdir", required=True, help="where the PNG and SVG files go")
    parser.add_argument("--done", required=True, help="flag file touched when every figure is written")


def run(args) -> None:
    load(args.manifest)  # fails early on a missing or broken manifest
    paths = make_figures(load_tables(Path(args.tables_dir)), Path(args.outdir))
    with atomic_path(args.done) as temporary:
        temporary.write_text(json.dumps(sorted(p.name for p in paths)) + "\n")
    log.info("%d figure files written to %s", len(paths), args.outdir)
