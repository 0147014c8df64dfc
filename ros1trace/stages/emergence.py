"""Stage ``emergence``: per patient of a batch, baseline vs progression and the resistance mechanism
-> the batch's ``emergence.tsv`` and ``patients.tsv`` (see :mod:`ros1trace.emergence.patients`).
Light imports (cyvcf2, pysam)."""

from __future__ import annotations

import logging

from .. import columns
from ..emergence.patients import patient_tables
from ..manifest import batch_patients, batch_samples, load
from ..tsv import read_tsv, write_tsv

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    for name in ("--manifest", "--batch", "--variants", "--fusions", "--emergence", "--patients"):
        parser.add_argument(name, required=True)


def run(args) -> None:
    manifest = load(args.manifest)
    config = manifest["config"]
    variants, fusions = read_tsv(args.variants), read_tsv(args.fusions)
    samples = batch_samples(manifest, args.batch)
    emergence_rows, patient_rows = [], []
    for patient in batch_patients(manifest, args.batch):
        pid = patient["patient_id"]
        rows, summary = patient_tables(
            patient, [s for s in samples if s["patient_id"] == pid], [r for r in variants if r["patient_id"] == pid],
            [r for r in fusions if r["patient_id"] == pid], config, manifest["reference_fasta"],
            manifest["build"])
        emergence_rows += rows
        patient_rows.append(summary)
        log.info("%s: %s, %s", pid, summary["ros1_mutation_status"], summary["resistance_mechanism"])
    emergence_rows.sort(key=lambda r: (r["patient_id"], r["pos"], r["ref"], r["alt"]))
    write_tsv(args.emergence, columns.EMERGENCE, emergence_rows)
    write_tsv(args.patients, columns.PATIENTS, sorted(patient_rows, key=lambda r: r["patient_id"]))
