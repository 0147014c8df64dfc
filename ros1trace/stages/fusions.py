"""Stage ``fusions``: every ROS1 fusion call of a batch of samples -> the batch's ``fusions.tsv``
(see :mod:`ros1trace.fusions.samples`)."""

from __future__ import annotations

import logging

from .. import columns
from ..fusions.genes import GeneTable
from ..fusions.samples import patient_rows, sample_rows, sort_key
from ..manifest import batch_samples, load
from ..tsv import write_tsv

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json of the run")
    parser.add_argument("--batch", required=True, help="batch id, e.g. b0001")
    parser.add_argument("--table", required=True, help="fusions.tsv of the batch")


def run(args) -> None:
    manifest = load(args.manifest)
    config = manifest.get("config", {})
    genes = GeneTable(manifest["build"], config.get("gtf"))
    by_patient: dict[str, list[dict]] = {}
    for sample in batch_samples(manifest, args.batch):
        if sample.get("fusions"):
            by_patient.setdefault(sample["patient_id"], []).extend(sample_rows(sample, genes, config))
    rows = [row for patient in sorted(by_patient) for row in patient_rows(by_patient[patient])]
    write_tsv(args.table, columns.FUSIONS, sorted(rows, key=sort_key))
    log.info("batch %s: %d ROS1 fusion rows written to %s", args.batch, len(rows), args.table)
