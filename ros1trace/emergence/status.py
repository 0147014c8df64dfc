"""Treatment-emergent, pre-existing, lost or indeterminate: one patient's ROS1 variants over time.

A variant found at progression is *emergent* only if the baseline could have seen it and did not.

* Samples of one timepoint are merged: a variant's progression VAF is the highest among the
  progression samples that call it; baseline evidence pools every baseline sample (reads and
  depth summed).
* Variants are matched across timepoints on their normalised form (contig spelling ignored), after
  same-codon merging, so a G2032K split into two SNVs by one caller still matches the other's MNV.
* Baseline evidence at a site, per baseline sample, in order of preference:
  1. the sample's BAM: reads carrying the allele and reads covering the site (the only way to see a
     clone below the caller's threshold);
  2. the sample's VCF: a carried-but-filtered record of the allele (its reads), or a record that
     shows the site without the allele (a force-called ``0/0`` record or a gVCF reference block:
     its depth, alt reads 0 unless the record lists some for this allele);
  3. the sample sheet's ``depth`` (assay depth; alt reads unknown);
  otherwise unknown.
* A codon change of several changed bases (G2032K = two bases; merged from SNVs, or one MNV
  record) is one haplotype, but a caller may have seen its bases one at a time: a force-called
  ``0/0`` record, a gVCF block or a filtered record at each changed base says what the sample
  shows there.  When no record covers the whole change, its evidence comes from its changed bases
  (``codon_change_evidence``): depth = the smallest of their depths (a read cannot show the
  haplotype where it does not show each base), alt reads = the fewest of theirs (the haplotype is
  no more frequent than its rarest base); in the BAM, reads carrying every changed base are its
  alt reads, reads carrying only some are not (the job's log counts them: a sign of the changes
  in trans).  Every changed base must have evidence, else the sheet's depth is used.
* Status: ``pre_existing`` when called at baseline, or when the pooled baseline reads hold at least
  ``min_alt_reads`` for the allele; ``lost`` when called at baseline but not at progression;
  ``emergent`` when absent at baseline and P(X >= min_alt_reads | baseline depth, progression VAF)
  >= ``min_power``; otherwise ``indeterminate`` (no baseline sample, or too shallow to tell).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .power import detection_power


@dataclass
class Evidence:
    """What one baseline sample says about one allele."""

    alt_reads: int | None
    depth: int | None
    source: str


@dataclass
class VariantHistory:
    key: tuple
    protein_change: str
    hgvs_c: str
    consequence: str
    chrom: str
    pos: int
    ref: str
    alt: str
    progression: list[dict] = field(default_factory=list)  # called rows
    baseline_called: list[dict] = field(default_factory=list)
    baseline_evidence: list[Evidence] = field(default_factory=list)


def variant_key(chrom: str, pos, ref: str, alt: str) -> tuple:
    bare = chrom[3:] if chrom.lower().startswith("chr") else chrom
    return bare, int(pos), ref, alt


def codon_change_evidence(parts: list[Evidence], source: str) -> Evidence:
    """One sample's evidence for a change of several bases from the evidence at each changed base."""
    if not parts or any(e.depth is None for e in parts):
        return Evidence(None, None, source)
    alts = [e.alt_reads for e in parts]
    return Evidence(None if None in alts else min(alts), min(e.depth for e in parts), source)


def _number(value, kind=float):
    if value in (None, ""):
        return None
    return kind(value)


def pooled(evidence: list[Evidence]) -> tuple[int | None, int | None, str]:
    """Summed alt reads (None if any examined sample's reads are unknown) and depth over samples."""
    known = [e for e in evidence if e.depth is not None]
    if not known:
        return None, None, ";".join(e.source for e in evidence) or "none"
    depth = sum(e.depth for e in known)
    alt = None if any(e.alt_reads is None for e in known) else sum(e.alt_reads for e in known)
    reads_seen = [e.alt_reads for e in known if e.alt_reads is not None]
    if alt is None and reads_seen and sum(reads_seen) > 0:
        alt = sum(reads_seen)  # reads seen in some samples are a lower bound worth reporting
    return alt, depth, ";".join(e.source for e in evidence)


def classify(history: VariantHistory, has_baseline: bool, has_progression: bool,
             min_alt_reads: int, min_power: float) -> dict:
    """The emergence.tsv row of one variant."""
    best = max(history.progression, key=lambda r: _number(r["vaf"]) or 0.0) if history.progression else None
    progression_vaf = _number(best["vaf"]) if best else None
    row = {
        "protein_change": history.protein_change, "hgvs_c": history.hgvs_c, "consequence": history.consequence,
        "chrom": history.chrom, "pos": history.pos, "ref": history.ref, "alt": history.alt,
        "progression_vaf": progression_vaf,
        "progression_alt_reads": _number(best["alt_reads"], int) if best else None,
        "progression_depth": _number(best["depth"], int) if best else None,
        "progression_samples": ";".join(sorted(r["sample_id"] for r in history.progression)),
    }
    if history.baseline_called:
        strongest = max(history.baseline_called, key=lambda r: _number(r["vaf"]) or 0.0)
        alt = sum(_number(r["alt_reads"], int) or 0 for r in history.baseline_called)
        depth = sum(_number(r["depth"], int) or 0 for r in history.baseline_called)
        row.update(baseline_vaf=_number(strongest["vaf"]), baseline_depth=depth or None,
                   baseline_alt_reads=alt if any(r["alt_reads"] for r in history.baseline_called) else None,
                   baseline_samples=";".join(sorted(r["sample_id"] for r in history.baseline_called)),
                   baseline_evidence="called")
        if history.progression:
            return {**row, "status": "pre_existing"}
        return {**row, "status": "lost" if has_progression else "indeterminate"}
    if not has_baseline:
        return {**row, "status": "indeterminate", "baseline_evidence": "no_baseline_sample"}
    alt, depth, sources = pooled(history.baseline_evidence)
    row.update(baseline_alt_reads=alt, baseline_depth=depth, baseline_evidence=sources,
               baseline_vaf=(alt / depth) if alt is not None and depth else None)
    if alt is not None and alt >= min_alt_reads:
        return {**row, "status": "pre_existing"}
    if depth is None or progression_vaf is None:
        return {**row, "status": "indeterminate"}
    power = detection_power(depth, progression_vaf, min_alt_reads)
    row["detection_power"] = power
    return {**row, "status": "emergent" if power >= min_power else "indeterminate"}
