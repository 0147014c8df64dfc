"""Stage ``audit``: a paper's reported numbers against the run's tables (see :mod:`ros1trace.cohort.audit`)."""

from __future__ import annotations

from ..cohort.audit import AUDIT_COLUMNS, audit_rows, load_reported, patient_records
from ..manifest import load
from ..tsv import read_tsv, write_tsv


def add_arguments(parser) -> None:
    parser.add_argument("--reported", required=True, help="YAML of the paper's reported numbers")
    parser.add_argument("--manifest", required=True, help="work/manifest.json (the patient sheet's columns)")
    parser.add_argument("--patients", required=True, help="patients.tsv of the cohort")
    parser.add_argument("--out", required=True, help="audit/reported_vs_recomputed.tsv")


def run(args) -> None:
    items = load_reported(args.reported)
    records = patient_records(read_tsv(args.patients), load(args.manifest).get("patients", []))
    write_tsv(args.out, AUDIT_COLUMNS, audit_rows(items, records))
