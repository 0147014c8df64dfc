"""Allele depth, total depth and VAF from whatever a variant caller wrote.

Callers disagree on where the read counts are.  In order of preference, for the tumour column:

* Strelka2 SNVs: ``AU CU GU TU`` hold tier-1/tier-2 counts per base; alt reads = tier 1 of the
  ALT base, depth = tier-1 sum over the four bases (Strelka2's own VAF recipe).
* Strelka2 indels: ``TAR`` (reads for REF) and ``TIR`` (reads for the indel), tier 1.
* FreeBayes: ``AO`` (per ALT) and ``RO``; depth = RO + sum(AO).
* ``AD`` (Mutect2, VarDict, GATK, generic): per allele, REF first; depth = ``DP`` when present
  (reads that do not support any listed allele still count) else sum(AD).  VAF = FORMAT ``AF``
  when given (Mutect2 and VarDict write it), else AD/depth.
* Fallback to INFO ``AF``/``DP`` (single-sample callers, sites-only VCFs): VAF and depth only.

A record with none of these is still annotated, with empty VAF.  Impossible values (AF > 1,
negative counts, AD with the wrong number of values) are errors: they mean a broken file, and a
silently wrong VAF would flow into the emergence call.
"""

from __future__ import annotations

from dataclasses import dataclass


MISSING_INT = -2147483648  # htslib's missing integer as cyvcf2 returns it


@dataclass(frozen=True)
class Counts:
    alt_reads: int | None
    depth: int | None
    vaf: float | None
    dialect: str


class MalformedRecord(ValueError):
    """A FORMAT/INFO value that cannot be right; the message says which."""


def _format(variant, key: str, sample: int, present: frozenset = None):
    if key not in (variant.FORMAT if present is None else present):  # most keys are absent: skip htslib
        return None
    try:
        values = variant.format(key)
    except KeyError:
        return None
    if values is None:
        return None
    row = values[sample]
    kind = row.dtype.kind
    if kind in "iu":
        return [None if v in (MISSING_INT, MISSING_INT + 1) else v for v in row.tolist()]
    if kind == "f":
        # VCF floats are float32: print them back as written (0.2, not 0.20000000298023224).
        return [None if v != v else float(f"{v:.6g}") for v in row.tolist()]
    return None


def _info(variant, key: str):
    value = variant.INFO.get(key)
    if value is None:
        return None
    return list(value) if isinstance(value, tuple) else [value]


def _first(values, index: int = 0):
    if values is None or index >= len(values):
        return None
    return values[index]


def _check(counts: Counts) -> Counts:
    for name in ("alt_reads", "depth"):
        value = getattr(counts, name)
        if value is not None and value < 0:
            raise MalformedRecord(f"{name.replace('_', ' ')} is {value} (negative)")
    if counts.vaf is not None and not 0 <= counts.vaf <= 1:
        raise MalformedRecord(f"allele fraction is {counts.vaf:g}; an AF must lie in [0, 1]")
    return counts


def allele_counts(variant, sample: int | None, allele: int, present: frozenset | None = None) -> Counts:
    """Counts for ALT ``allele`` (1-based) of ``variant`` in sample column ``sample``.

    ``present``: the record's FORMAT keys, when the caller has read them already.
    """
    if present is None:
        present = frozenset(variant.FORMAT or ())
    return _check(_allele_counts(variant, sample, allele, present))


def _allele_counts(variant, sample: int | None, allele: int, present: frozenset) -> Counts:
    n_alleles = 1 + len(variant.ALT)
    if sample is not None:
        strelka_snv = {"AU", "CU", "GU", "TU"} <= present
        tier = {b: _format(variant, f"{b}U", sample, present) for b in "ACGT"} if strelka_snv else {}
        if strelka_snv and all(tier.values()) and len(variant.REF) == 1 and len(variant.ALT[allele - 1]) == 1:
            depth = sum(v[0] or 0 for v in tier.values())
            alt = _first(tier.get(variant.ALT[allele - 1].upper()))
            return Counts(alt, depth, alt / depth if depth and alt is not None else None, "strelka2_snv")
        tar = tir = None
        if "TAR" in present and "TIR" in present:
            tar, tir = _format(variant, "TAR", sample, present), _format(variant, "TIR", sample, present)
        if tar and tir:
            alt, ref = tir[0], tar[0]
            depth = (alt or 0) + (ref or 0)
            return Counts(alt, depth, alt / depth if depth and alt is not None else None, "strelka2_indel")
        ao = ro = None
        if "AO" in present and "RO" in present:
            ao, ro = _format(variant, "AO", sample, present), _format(variant, "RO", sample, present)
        if ao is not None and ro is not None:
            if len(ao) != n_alleles - 1:
                raise MalformedRecord(f"AO has {len(ao)} values, expected {n_alleles - 1} (one per ALT)")
            alt = ao[allele - 1]
            depth = (ro[0] or 0) + sum(v or 0 for v in ao)
            return Counts(alt, depth, alt / depth if depth and alt is not None else None, "freebayes")
        ad = _format(variant, "AD", sample, present)
        if ad is not None and any(v is not None for v in ad):
            if len(ad) != n_alleles:
                raise MalformedRecord(f"AD has {len(ad)} values, expected {n_alleles} (REF + {n_alleles - 1} ALT)")
            alt = ad[allele]
            dp = _first(_format(variant, "DP", sample, present))
            depth = dp if dp is not None else sum(v or 0 for v in ad)
            af = _format(variant, "AF", sample, present)
            vaf = _first(af, allele - 1) if af and len(af) >= allele else None
            if vaf is None and depth and alt is not None:
                vaf = alt / depth
            return Counts(alt, depth, vaf, "ad")
        af = _format(variant, "AF", sample, present)
        if af is not None and _first(af, allele - 1) is not None:
            return Counts(None, _first(_format(variant, "DP", sample, present)), _first(af, allele - 1), "format_af")
    info_af, info_dp = _info(variant, "AF"), _info(variant, "DP")
    if info_af is not None and _first(info_af, allele - 1) is not None:
        return Counts(None, _first(info_dp), float(f"{float(_first(info_af, allele - 1)):.6g}"), "info_af")
    depth = _first(_format(variant, "DP", sample, present)) if sample is not None else None
    return Counts(None, depth if depth is not None else _first(info_dp), None, "none")
