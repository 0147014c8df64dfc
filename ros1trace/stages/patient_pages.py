"""Stage ``patient-pages``: ``patients/<patient_id>.html`` and ``.json``, one page a patient
(see :mod:`ros1trace.cohort.patient_pages`)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..cohort.patient_pages import write_pages
from ..manifest import load

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json")
    parser.add_argument("--tables-dir", required=True,
                        help="the run's outdir (patients.tsv, variants.tsv, ...)")
    parser.add_argument("--outdir", required=True, help="where <patient_id>.html and .json go")


def run(args) -> None:
    ids = write_pages(load(args.manifest), Path(args.tables_dir), Path(args.outdir))
    log.info("%d patient pages written to %s", len(ids), args.outdir)
