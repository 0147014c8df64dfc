"""Stage ``variants``: the ROS1 small variants of a batch of samples -> the batch's ``variants.tsv``
and one annotated ROS1 VCF per sample (see :mod:`ros1trace.variants.samples`).

Imports pysam (and cyvcf2 for BCF input) only; the reference locus is read once per batch.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .. import columns
from ..manifest import batch_samples, load
from ..reference.genome import load_locus
from ..reference.transcript import transcript
from ..tsv import write_tsv
from ..variants.samples import manifest_annotator, sample_variants

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--batch", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--vcf-dir", required=True)


def run(args) -> None:
    manifest = load(args.manifest)
    config, build = manifest["config"], manifest["build"]
    tx = transcript(build)
    locus = load_locus(manifest["reference_fasta"], tx)
    annotator = manifest_annotator(manifest, tx, locus)
    vcf_dir = Path(args.vcf_dir)
    vcf_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for sample in batch_samples(manifest, args.batch):
        if not sample.get("vcf"):
            continue
        out = vcf_dir / f"{sample['sample_id']}.ros1.vcf.gz"
        found = sample_variants(sample, config, tx, locus, annotator, manifest["reference_fasta"], out)
        log.info("%s: %d ROS1 variant rows from %s", sample["sample_id"], len(found), sample["vcf"])
        rows.extend(found)
    rows.sort(key=lambda r: (r["patient_id"], r["sample_id"], r["pos"], r["ref"], r["alt"]))
    write_tsv(args.table, columns.VARIANTS, rows)
