"""Allele depth, total depth and VAF from whatever a variant caller wrote.

Callers disagree on where the read counts are.  In order of preference, for the tumour column:

* Strelka2 SNVs: ``AU CU GU TU`` hold tier-1/tier-2 counts per base; alt reads = tier 1 of the
  ALT base, depth = tier-1 sum over the four bases (Strelka2's own VAF recipe).
* Strelka2 indels: ``TAR`` (reads for REF) and ``TIR`` (reads for the indel), tier 1.
* FreeBayes: ``AO`` (per ALT) and ``RO``; depth = RO + sum(AO).
* VarScan2 (also its records inside Pindel and merged TCGA files): ``RD`` reads for REF, ``AD``
  reads for the ALT *alone* (one value, not VCF's Number=R), ``FREQ`` the VAF as a percent
  (``23.85%``); depth = ``DP``, or RD + AD when DP is absent or smaller.
* ``AD`` (Mutect2, MuTect1, VarDict, GATK, DeepVariant, MuSE, generic): per allele, REF first;
  depth = ``DP`` (reads that do not support any listed allele still count) or sum(AD) when that is
  larger.  GATK3 HaplotypeCaller and MuTect1 write DP *after* their read filters and AD before
  them, so DP can fall below the alt reads; vcf2maf then takes sum(AD) as the depth, and so do we
  (``dp_below_ad`` marks it; the reader warns once per file).  VAF = FORMAT ``AF`` when given
  (Mutect2, VarDict), MuTect1's ``FA`` or DeepVariant's ``VAF``, else alt reads / depth.
  The TCGA consensus VCF's ``ADT``/``DPT`` are the tumour's AD and DP.
* ``DP4`` (samtools, SomaticSniper, VarScan): REF forward, REF reverse, ALT forward, ALT reverse;
  used when nothing above is present, for a record with one ALT.
* Fallback to INFO ``AF``/``DP`` (single-sample callers): VAF and depth only.

A record with none of these is still annotated, with empty VAF.  Impossible values (AF > 1,
negative counts, AD with the wrong number of values, a count that is not a number) are errors:
they mean a broken file, and a silently wrong VAF would flow into the emergence call.

Values arrive as the text the caller wrote (``vcf.Record``): a FORMAT key maps to its value in the
tumour column, e.g. ``{"AD": "170,30", "AF": "0.15"}``; ``.`` is a missing value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

STRELKA_SNV_KEYS = ("AU", "CU", "GU", "TU")


@dataclass(slots=True)  # built once per allele: slots, not frozen (3x faster to make)
class Counts:
    alt_reads: int | None
    depth: int | None
    vaf: float | None
    dialect: str
    dp_below_ad: bool = False  # FORMAT DP was below the reads in AD (depth taken from AD)


AF_KEYS = ("AF", "FA", "VAF")  # Mutect2/VarDict, MuTect1, DeepVariant: the ALT allele fraction(s)


class MalformedRecord(ValueError):
    """A FORMAT/INFO value that cannot be right; the message says which."""


def numbers(text: str | None, key: str, kind: Callable = int) -> list | None:
    """``"170,30"`` -> [170, 30]; ``.`` entries -> None; an absent key -> None."""
    if text is None:
        return None
    try:
        return list(map(kind, text.split(",")))  # the common case: every value present
    except ValueError:
        pass
    try:
        return [None if v in (".", "") else kind(v) for v in text.split(",")]
    except ValueError:
        noun = "integers" if kind is int else "numbers"
        raise MalformedRecord(f"{key} is {text!r}, not a comma-separated list of {noun}") from None


def number(text: str | None, key: str, kind: Callable = int, index: int = 0):
    """Entry ``index`` of a comma-separated value (None when absent or '.')."""
    if text is None or text in (".", ""):
        return None
    if "," not in text:  # the common case: a single value
        if index:
            return None
        try:
            return kind(text)
        except ValueError:
            return numbers(text, key, kind)[0]  # raises the error that names the key
    values = numbers(text, key, kind)
    return values[index] if index < len(values) else None


def _check(counts: Counts) -> None:
    if counts.alt_reads is not None and counts.alt_reads < 0:
        raise MalformedRecord(f"alt reads is {counts.alt_reads} (negative)")
    if counts.depth is not None and counts.depth < 0:
        raise MalformedRecord(f"depth is {counts.depth} (negative)")
    if counts.vaf is not None and not 0 <= counts.vaf <= 1:
        raise MalformedRecord(f"allele fraction is {counts.vaf:g}; an AF must lie in [0, 1]")


def allele_counts(fmt: Mapping[str, str] | None, info: Callable[[str], str | None], ref: str, alts: list[str],
                  allele: int) -> Counts:
    """Counts for ALT ``allele`` (1-based).

    ``fmt``: the tumour column's FORMAT values by key (None without a sample column);
    ``info(key)``: the INFO value's text, None when absent.
    """
    counts = _allele_counts(fmt, info, ref, alts, allele)
    if (counts.alt_reads or 0) < 0 or (counts.depth or 0) < 0 or not 0 <= (counts.vaf or 0) <= 1:
        _check(counts)  # raises, naming the value
    return counts


def _ratio(alt: int | None, depth: int | None) -> float | None:
    return alt / depth if depth and alt is not None else None


def _percent(text: str | None, key: str) -> float | None:
    """VarScan's ``FREQ``: ``23.85%`` -> 0.2385 (a bare number is read as a percent too)."""
    if text is None or text in (".", ""):
        return None
    value = number(text.rstrip("%"), key, float)
    return None if value is None else value / 100


def _first_af(get, allele: int) -> float | None:
    for key in AF_KEYS:
        value = number(get(key), key, float, allele - 1)
        if value is not None:
            return value
    return None


def _allele_counts(fmt, info, ref: str, alts: list[str], allele: int) -> Counts:
    alt_base = alts[allele - 1]
    if fmt:
        get = fmt.get
        if "AU" in fmt and len(ref) == 1 and len(alt_base) == 1:
            tier = [numbers(get(key), key) for key in STRELKA_SNV_KEYS]
            if all(tier):
                depth = sum(v[0] or 0 for v in tier)
                base = alt_base.upper()
                alt = tier["ACGT".index(base)][0] if base in ("A", "C", "G", "T") else None
                return Counts(alt, depth, _ratio(alt, depth), "strelka2_snv")
        if "TIR" in fmt and "TAR" in fmt:
            tar, tir = numbers(get("TAR"), "TAR"), numbers(get("TIR"), "TIR")
            if tar and tir:
                alt, ref_reads = tir[0], tar[0]
                depth = (alt or 0) + (ref_reads or 0)
                return Counts(alt, depth, _ratio(alt, depth), "strelka2_indel")
        if "AO" in fmt and "RO" in fmt:
            ao, ro = numbers(get("AO"), "AO"), numbers(get("RO"), "RO")
            if len(ao) != len(alts):
                raise MalformedRecord(f"AO has {len(ao)} values, expected {len(alts)} (one per ALT)")
            alt = ao[allele - 1]
            depth = (ro[0] or 0) + sum(v or 0 for v in ao)
            return Counts(alt, depth, _ratio(alt, depth), "freebayes")
        if "RD" in fmt and ("FREQ" in fmt or "," not in (get("AD") or ",")):
            return _varscan(get, alts, allele)
        if "ADT" in fmt and "AD" not in fmt:  # TCGA consensus: tumour AD/DP under their own keys
            return _from_ad(numbers(get("ADT"), "ADT"), number(get("DPT"), "DPT"), None, alts, allele, "tcga_adt")
        ad = numbers(get("AD"), "AD")
        if ad is not None and ad.count(None) < len(ad):
            return _from_ad(ad, number(get("DP"), "DP"), _first_af(get, allele), alts, allele, "ad")
        af = _first_af(get, allele)
        if af is not None:
            return Counts(None, number(get("DP"), "DP"), af, "format_af")
        dp4 = numbers(get("DP4"), "DP4")
        if dp4 is not None and len(dp4) == 4 and None not in dp4 and len(alts) == 1:
            alt, depth = dp4[2] + dp4[3], sum(dp4)
            return Counts(alt, depth, _ratio(alt, depth), "dp4")
    info_dp = number(info("DP"), "INFO DP")
    info_af = number(info("AF"), "INFO AF", float, allele - 1)
    if info_af is not None:
        return Counts(None, info_dp, info_af, "info_af")
    depth = number(fmt.get("DP"), "DP") if fmt else None
    return Counts(None, depth if depth is not None else info_dp, None, "none")


def _check_depth(dp: int | None) -> None:
    if dp is not None and dp < 0:  # before it is compared with AD: a negative DP is a broken file
        raise MalformedRecord(f"depth is {dp} (negative)")


def _from_ad(ad: list | None, dp: int | None, af: float | None, alts: list[str], allele: int, dialect: str) -> Counts:
    """Counts from a Number=R allele-depth list (REF first) and the caller's DP and AF."""
    if ad is None or ad.count(None) == len(ad):
        return Counts(None, dp, af, dialect)
    if len(ad) != len(alts) + 1:
        raise MalformedRecord(f"AD has {len(ad)} values, expected {len(alts) + 1} (REF + {len(alts)} ALT)")
    alt = ad[allele]
    listed = sum(v or 0 for v in ad)
    _check_depth(dp)
    below = dp is not None and dp < listed
    depth = listed if dp is None or below else dp
    return Counts(alt, depth, af if af is not None else _ratio(alt, depth), dialect, below)


def _varscan(get, alts: list[str], allele: int) -> Counts:
    """VarScan2: RD (REF reads), AD (ALT reads, one value), FREQ (percent), DP."""
    if len(alts) != 1 or allele != 1:
        raise MalformedRecord(f"a VarScan record (RD/AD/FREQ) with {len(alts)} ALT alleles; VarScan writes one "
                              "ALT per record")
    alt, ref_reads = number(get("AD"), "AD"), number(get("RD"), "RD")
    listed = (alt or 0) + (ref_reads or 0)
    dp = number(get("DP"), "DP")
    _check_depth(dp)
    depth = listed if dp is None or dp < listed else dp
    vaf = _percent(get("FREQ"), "FREQ")
    if vaf is None:
        vaf = _ratio(alt, depth)
    return Counts(alt, depth, vaf, "varscan", dp is not None and dp < listed)
