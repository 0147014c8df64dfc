"""Workflow stage ``emergence``: per patient, baseline vs progression and the resistance mechanism.

Reads the batch's ``variants.tsv`` and ``fusions.tsv``, gathers baseline evidence at every variant
called in the patient (BAM reads, VCF records at the site, sheet depth; see ``emergence.py``),
and writes the batch's ``emergence.tsv`` and ``patients.tsv``.  Light imports (cyvcf2, pysam).
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import columns
from .catalog import is_qualifying
from .emergence import Evidence, VariantHistory, classify, variant_key
from .fusions.summary import summarise_patient
from .manifest import batch_patients, batch_samples, load
from .mechanism import patient_mechanism
from .offtarget import amplifications, bypass_variants
from .reads import Bam
from .tsv import read_tsv, write_tsv
from .variant_stage import read_settings, vcf_settings
from .vcf import Allele, ReferenceSite, Region, VcfReader

log = logging.getLogger(__name__)


def _truthy(value) -> bool:
    return value is True or value == "true"


def histories(rows: list[dict]) -> dict[tuple, VariantHistory]:
    """Variants called in any sample of one patient, with their called rows per timepoint."""
    found: dict[tuple, VariantHistory] = {}
    for row in rows:
        if not _truthy(row["called"]):
            continue
        key = variant_key(row["chrom"], row["pos"], row["ref"], row["alt"])
        history = found.setdefault(key, VariantHistory(key, row["protein_change"], row["hgvs_c"], row["consequence"],
                                                       row["chrom"], int(row["pos"]), row["ref"], row["alt"]))
        (history.progression if row["timepoint"] == "progression" else history.baseline_called).append(row)
    return found


def baseline_evidence(sample: dict, history: VariantHistory, sample_rows: list[dict], config: dict,
                      bam: Bam | None, reader: VcfReader | None) -> Evidence:
    """What one baseline sample shows at a variant it did not call (see emergence.py)."""
    if bam is not None:
        support = bam.support(history.chrom, history.pos, history.ref, history.alt)
        return Evidence(support.alt_reads, support.depth, f"{sample['sample_id']}:bam")
    for row in sample_rows:  # carried but filtered in this sample: its own reads
        if variant_key(row["chrom"], row["pos"], row["ref"], row["alt"]) == history.key and row["depth"]:
            return Evidence(int(row["alt_reads"]) if row["alt_reads"] else None, int(row["depth"]),
                            f"{sample['sample_id']}:vcf_filtered_record")
    if reader is not None:
        end = history.pos + len(history.ref) - 1
        for item in reader.alleles([Region(history.chrom, history.pos, end)], None):
            if isinstance(item, ReferenceSite) and item.start <= history.pos and end <= item.end and item.depth:
                return Evidence(item.alt_reads or 0, item.depth, f"{sample['sample_id']}:vcf_reference_record")
            if isinstance(item, Allele) and not item.carried and item.counts.depth and \
                    variant_key(item.chrom, item.pos, item.ref, item.alt) == history.key:
                return Evidence(item.counts.alt_reads or 0, item.counts.depth, f"{sample['sample_id']}:vcf_record")
    if sample.get("depth"):
        return Evidence(None, int(sample["depth"]), f"{sample['sample_id']}:sheet_depth")
    return Evidence(None, None, f"{sample['sample_id']}:no_depth")


def patient_tables(patient: dict, samples: list[dict], variant_rows: list[dict], fusion_rows: list[dict],
                   config: dict, reference_fasta: str, build: str) -> tuple[list[dict], dict]:
    baseline = [s for s in samples if s["timepoint"] == "baseline" and s.get("vcf")]
    progression = [s for s in samples if s["timepoint"] == "progression" and s.get("vcf")]
    found = histories(variant_rows)
    for sample in baseline:
        sample_rows = [r for r in variant_rows if r["sample_id"] == sample["sample_id"]]
        bam = Bam(sample["bam"], read_settings(config), reference_fasta) if sample.get("bam") else None
        reader = VcfReader(Path(sample["vcf"]), vcf_settings(config, sample))
        try:
            for history in found.values():
                if not any(r["sample_id"] == sample["sample_id"] for r in history.baseline_called):
                    history.baseline_evidence.append(baseline_evidence(sample, history, sample_rows, config, bam, reader))
        finally:
            reader.close()
            if bam is not None:
                bam.close()
    emergence_rows = []
    for history in found.values():
        row = classify(history, bool(baseline), bool(progression), config["min_alt_reads"], config["min_power"])
        row.update(patient_id=patient["patient_id"], qualifying=is_qualifying(row["protein_change"], row["consequence"]))
        emergence_rows.append(row)
    off_target = []
    for sample in samples:
        if sample["timepoint"] != "progression":
            continue
        if sample.get("cnv"):
            off_target += amplifications(sample["cnv"], config["amplification_min_copy_number"])
        if sample.get("vcf"):
            off_target += bypass_variants(sample["vcf"], vcf_settings(config, sample), build)
    off_target = sorted(set(off_target))
    summary = summarise_patient(fusion_rows, samples)
    mechanism = patient_mechanism(emergence_rows, bool(progression), off_target)
    patient_row = {
        "patient_id": patient["patient_id"], "progression_site": patient["progression_site"], **summary, **mechanism,
        "n_baseline_samples": sum(s["timepoint"] == "baseline" for s in samples),
        "n_progression_samples": sum(s["timepoint"] == "progression" for s in samples),
        "progression_sample_types": ";".join(sorted({s["sample_type"] for s in samples if s["timepoint"] == "progression"})),
        "notes": "" if samples else "no samples in the sample sheet",
    }
    return emergence_rows, patient_row


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
