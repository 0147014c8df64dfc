"""Per patient, baseline vs progression and the resistance mechanism (for stage ``emergence``).

Reads the batch's ``variants.tsv`` and ``fusions.tsv``, gathers baseline evidence at every variant
called in the patient (BAM reads, VCF records at the site, sheet depth; see ``emergence/status.py``),
and writes the batch's ``emergence.tsv`` and ``patients.tsv``.  Light imports (cyvcf2, pysam).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..fusions.summary import summarise_patient
from ..reference.catalog import is_qualifying
from ..variants.haplotype import changed_bases
from ..variants.normalise import trim_only
from ..variants.offtarget import amplifications, bypass_variants
from ..variants.reads import Bam
from ..variants.samples import read_settings, vcf_settings
from ..variants.vcf import Allele, Record, ReferenceSite, Region, VcfReader
from .mechanism import patient_mechanism
from .status import Evidence, VariantHistory, classify, codon_change_evidence, variant_key

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
    """What one baseline sample shows at a variant it did not call (see emergence/status.py)."""
    sid = sample["sample_id"]
    sites = changed_bases(history.pos, history.ref, history.alt)
    if bam is not None:
        return _bam_evidence(sid, history, sites, bam)
    records = _records_over(reader, history) if reader is not None else []
    whole = _vcf_evidence(history.key, sample_rows, records, whole_change=True)
    if whole is not None:
        return Evidence(whole[0], whole[1], f"{sid}:{whole[2]}")
    if len(sites) > 1:  # no record of the whole change: a caller may have seen its bases one by one
        parts = [_vcf_evidence(variant_key(history.chrom, *site), sample_rows, records) for site in sites]
        if all(parts):
            source = f"{sid}:" + "+".join(f"{kind}@{pos}" for (pos, _, _), (_, _, kind) in zip(sites, parts))
            return codon_change_evidence([Evidence(alt, depth, kind) for alt, depth, kind in parts], source)
    if sample.get("depth"):
        return Evidence(None, int(sample["depth"]), f"{sid}:sheet_depth")
    return Evidence(None, None, f"{sid}:no_depth")


def _bam_evidence(sid: str, history: VariantHistory, sites: list[tuple[int, str, str]], bam: Bam) -> Evidence:
    """Reads at the variant; for a change of several bases, reads carrying all of them."""
    if len(sites) == 1:
        support = bam.support(history.chrom, history.pos, history.ref, history.alt)
        return Evidence(support.alt_reads, support.depth, f"{sid}:bam")
    haplotype = bam.haplotype(history.chrom, sites)
    if haplotype.partial_reads:
        log.info("%s: %d reads in %s carry some but not all of %s's changes (%s): not counted as %s "
                 "(%d reads carry all of them)", sid, haplotype.partial_reads, bam.path, history.protein_change,
                 ", ".join(f"{pos} {ref}>{alt}" for pos, ref, alt in sites), history.protein_change,
                 haplotype.alt_reads)
    return Evidence(haplotype.alt_reads, haplotype.depth, f"{sid}:bam")


def _records_over(reader: VcfReader, history: VariantHistory) -> list[tuple[Record, list]]:
    """The sample's VCF records over the variant, each with its alleles or reference-only sites."""
    region = Region(history.chrom, history.pos, history.pos + len(history.ref) - 1)
    return [(record, reader.alleles_of(record, None)) for record in reader.records([region])]


def _vcf_evidence(key: tuple, sample_rows: list[dict], records: list[tuple[Record, list]],
                  whole_change: bool = False) -> tuple[int | None, int, str] | None:
    """(alt reads, depth, kind) that the sample's VCF gives for one allele, or None.

    In order: the sample's own row of the allele (a filtered call; for a changed base of a codon
    change, a call too); a reference-only record (force-called ``0/0``, gVCF block) over it, with
    the reads it lists for this allele (0 when it lists none or another allele); a record of the
    allele that the sample does not carry.  A carried allele of a changed base, merged into another
    change in this sample, is found in the VCF even though it has no row of its own.
    """
    _, pos, ref, alt = key
    for row in sample_rows:
        if variant_key(row["chrom"], row["pos"], row["ref"], row["alt"]) == key and row["depth"]:
            kind = "vcf_called_record" if row["called"] in (True, "true") else "vcf_filtered_record"
            return (int(row["alt_reads"]) if row["alt_reads"] else None), int(row["depth"]), kind
    end = pos + len(ref) - 1
    for record, items in records:
        alts = [a.upper() for a in record.alts if a.isalpha()] or [None]
        covering = [(site, listed) for site, listed in zip(items, alts) if isinstance(site, ReferenceSite)
                    and site.depth and site.start <= pos and end <= site.end]
        if covering:
            same = next((site for site, listed in covering
                         if listed and trim_only(record.pos, record.ref, listed) == (pos, ref, alt)), None)
            return ((same.alt_reads or 0) if same else 0), (same or covering[0][0]).depth, "vcf_reference_record"
    for _, items in records:
        for item in items:
            if isinstance(item, Allele) and item.counts.depth and not (whole_change and item.carried) and \
                    variant_key(item.chrom, item.pos, item.ref, item.alt) == key:
                return item.counts.alt_reads or 0, item.counts.depth, "vcf_record"
    return None


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
