"""Reading small-variant VCFs: the tumour column, the ROS1 region, one normalised allele at a time.

* Plain or bgzipped VCF (or BCF), by index query when there is one (``vcf_lines``), so the cost
  does not grow with the file.  ``chr6`` and ``6`` name the same contig, whichever the VCF and the
  FASTA use.
* Records are the caller's text split into columns (``Record``); FORMAT values are read only for
  the tumour column, INFO only when asked for.
* Multi-allelic records are split; each ALT allele is trimmed and left-aligned against the
  reference (``normalise``).  Symbolic alleles (``<DEL>``), the ``*`` allele and breakends cannot
  be annotated as small variants: they are skipped with a warning.
* What counts as a call (docs/methods.md, Calls): the sample carries the ALT allele (its GT contains it;
  without a GT: alt reads >= ``min_alt_reads`` or AF > 0) and the record passes the FILTER
  policy.  ``0/0`` genotypes (force-called sites, gVCF reference blocks) are not calls: they give
  the depth at the site and are returned as ``ReferenceSite`` -- unless the tumour column's
  ``SS`` (TCGA VCF "somatic status") says 1 (germline) or 2 (somatic): Pindel's TCGA output
  writes ``0/0`` for every call and states the call in SS.  A sites-only VCF (no FORMAT/sample
  columns: annotation outputs, TCGA consensus sites) lists calls: each record is one, with
  unknown VAF and depth (dialect ``sites_only``; INFO AF/DP when the file gives them).
* The tumour column: the sheet's ``tumor_sample``; the only column; ``##tumor_sample``; a column
  named TUMOR/TUMOUR; else the one column whose name says tumour (``..._tumor.bam``,
  ``EMN-3661-T2``, ``Patient_01_Somatic``), or of two columns the one that is not the normal
  (``abc`` beside ``abc-match``).
* A record that contradicts the reference inside the loaded locus, or holds impossible values,
  stops the run with one line naming the file and the record (or its line, when streamed).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..reference.genome import Locus, resolve_contig
from .dialects import Counts, MalformedRecord, allele_counts
from .normalise import normalise, trim_only
from .vcf_lines import LineSource, Region, is_count, record_end

__all__ = ["Allele", "Record", "ReferenceSite", "Region", "VcfReader", "VcfSettings"]

log = logging.getLogger(__name__)
TUMOUR_COLUMN_NAMES = ("TUMOR", "TUMOUR", "tumor", "tumour")
# Words of a sample column's name (split at non-alphanumerics) that say tumour or normal.
_TUMOUR_WORD = re.compile(r"^(?:tumou?r|somatic|cancer|t\d*)$", re.IGNORECASE)
_NORMAL_WORD = re.compile(r"^(?:normal|germline|blood|match|matched|control|n\d*|g\d*)$", re.IGNORECASE)
CARRIED_SOMATIC_STATUS = ("1", "2")  # TCGA VCF FORMAT SS: 1 germline, 2 somatic
NOT_ANNOTATABLE = ("<NON_REF>", "<*>")  # gVCF reference placeholders: silently not alleles


@dataclass(slots=True)
class Allele:
    """One ALT allele of one VCF record, as seen in the tumour column."""

    chrom: str  # as the VCF names it
    pos: int  # normalised
    ref: str
    alt: str
    filter: str  # PASS or the FILTER names joined by ';'
    passes: bool  # FILTER policy
    carried: bool  # GT contains the allele, or reads/AF show it
    counts: Counts
    genotype: str  # e.g. '0|1', '' when absent
    phased: bool
    haplotype: int | None  # index of the GT slot carrying the allele when phased
    phase_set: str | None  # PS, or Mutect2's PID
    record: str  # how to name the record in messages: 'chr6:117317184 C>T'

    @property
    def called(self) -> bool:
        return self.carried and self.passes

    @property
    def end(self) -> int:
        return self.pos + len(self.ref) - 1


@dataclass(slots=True)
class ReferenceSite:
    """A record (or gVCF block) that shows the sample does *not* carry an allele: depth only."""

    chrom: str
    start: int
    end: int
    depth: int | None
    alt_reads: int | None = None  # reads for a listed ALT in a 0/0 record, when given


@dataclass
class VcfSettings:
    min_alt_reads: int = 3
    filter_policy: str = "pass_only"
    accepted_filters: tuple[str, ...] = ()
    tumor_sample: str | None = None

    def passes(self, filters: list[str]) -> bool:
        if self.filter_policy == "all" or not filters or filters == ["PASS"]:
            return True
        if self.filter_policy == "accepted":
            return all(f in self.accepted_filters for f in filters)
        return False


class Record:
    """One data line split into its columns; the tumour column's FORMAT values by key."""

    __slots__ = ("fields", "chrom", "pos", "ref", "alts", "fmt", "_info")

    def __init__(self, fields: list[str], pos: int, fmt: dict[str, str] | None):
        self.fields = fields
        self.chrom = fields[0]
        self.pos = pos
        self.ref = fields[3].upper()
        self.alts = [] if fields[4] in (".", "") else fields[4].split(",")
        self.fmt = fmt
        self._info: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return f"{self.chrom}:{self.pos} {self.ref}>{self.fields[4]}"

    def info(self, key: str) -> str | None:
        """The INFO value of ``key`` as written (a flag gives ''), None when absent."""
        if self._info is None:
            text = self.fields[7]
            self._info = {} if text in (".", "") else dict(
                item.split("=", 1) if "=" in item else (item, "") for item in text.split(";"))
        return self._info.get(key)

    @property
    def end(self) -> int:
        return record_end(self.pos, self.ref, self.fields[7])


@dataclass
class VcfReader:
    path: Path
    settings: VcfSettings = field(default_factory=VcfSettings)

    def __post_init__(self):
        self.path = Path(self.path)
        self.source = LineSource(self.path)
        self.header = self.source.header
        self.sample = self._tumour_column()
        self._contig_match: dict[tuple[str, str], bool] = {}
        self._format_keys: dict[str, list[str]] = {}
        self._dp_below_ad_warned = False
        if self.sample is None:
            log.info("%s: no sample column (sites-only VCF): each record is a call with unknown VAF and depth",
                     self.path)

    @property
    def raw_header(self) -> str:
        return "\n".join(self.header) + "\n"

    # -- header ---------------------------------------------------------------------------------
    def _tumour_column(self) -> int | None:
        samples = self.source.samples
        wanted = self.settings.tumor_sample
        if wanted:
            if wanted not in samples:
                raise InputError(f"{self.path}: tumor_sample {wanted!r} is not a sample column; "
                                 f"the columns are {', '.join(samples) or '(none)'}")
            return samples.index(wanted)
        if len(samples) <= 1:
            return 0 if samples else None
        for line in self.header:
            if line.startswith("##tumor_sample="):
                name = line.split("=", 1)[1].strip()
                if name in samples:
                    return samples.index(name)
        for name in TUMOUR_COLUMN_NAMES:
            if name in samples:
                return samples.index(name)
        chosen = _tumour_by_name(samples)
        if chosen is not None:
            log.info("%s: tumour column %s chosen by its name among %s (set tumor_sample to choose another)",
                     self.path, samples[chosen], ", ".join(samples))
            return chosen
        raise InputError(f"{self.path}: {len(samples)} sample columns ({', '.join(samples)}) and no "
                         "##tumor_sample header line; set tumor_sample in the sample sheet")

    # -- records --------------------------------------------------------------------------------
    def records(self, regions: list[Region]) -> Iterator[Record]:
        """Records overlapping any region (index query, else one streaming pass)."""
        for number, line in self.source.lines(regions):
            yield self._parse(number, line)

    def _where(self, number: int | None, fields: list[str]) -> str:
        if number is not None:
            return f"{self.path} line {number}"
        return f"{self.path}: record {':'.join(fields[:2])} {fields[3] if len(fields) > 3 else ''}"

    def _parse(self, number: int | None, line: str) -> Record:
        fields = line.split("\t")
        if len(fields) < 8:
            raise InputError(f"{self._where(number, fields)}: {len(fields)} tab-separated fields, "
                             "a VCF record needs 8 or more; fix the record")
        if not is_count(fields[1]):
            raise InputError(f"{self._where(number, fields)}: POS {fields[1]!r} is not a positive integer; "
                             "fix the record")
        fmt = None
        if self.sample is not None:
            column = 9 + self.sample
            if len(fields) <= column:
                raise InputError(f"{self._where(number, fields)}: {len(fields)} columns, the header names "
                                 f"{9 + len(self.source.samples)}; fix the record")
            keys = self._format_keys.get(fields[8])
            if keys is None:  # a file has a handful of FORMAT strings: split each once
                keys = self._format_keys[fields[8]] = fields[8].split(":")
            fmt = dict(zip(keys, fields[column].split(":")))
        return Record(fields, int(fields[1]), fmt)

    def alleles(self, regions: list[Region], locus: Locus | None) -> Iterator[Allele | ReferenceSite]:
        """Every ALT allele (normalised) and every reference-only site in the regions."""
        for record in self.records(regions):
            yield from self.alleles_of(record, locus)

    def alleles_of(self, record: Record, locus: Locus | None) -> list[Allele] | list[ReferenceSite]:
        """The record's ALT alleles (normalised), or ReferenceSites for a reference-only record."""
        try:
            return self._alleles_of(record, locus)
        except MalformedRecord as exc:
            raise InputError(f"{self.path}: record {record.name}: {exc}; fix the record or the caller's output") \
                from None

    def _alleles_of(self, record: Record, locus: Locus | None) -> list[Allele | ReferenceSite]:
        chrom, pos, ref, alts, fmt = record.chrom, record.pos, record.ref, record.alts, record.fmt
        if alts and not any(alt.isalpha() for alt in alts):
            # Only symbolic alleles (<DEL>), '*' or breakends (N[chr1:5[): not base changes.  Their REF
            # may be N, so this comes before the REF check.
            if any(alt not in NOT_ANNOTATABLE for alt in alts):
                log.warning("%s: record %s: allele %s is symbolic or a breakend and is skipped (give SVs as "
                            "fusions)", self.path, record.name, record.fields[4])
                return []
            # A reference-only site or gVCF block (<NON_REF>): its span (INFO END) and depth.
            return [ReferenceSite(chrom, pos, record.end, _site_depth(record))]
        end = pos + len(ref) - 1
        in_locus = locus is not None and locus.start <= pos and end <= locus.end \
            and (chrom == locus.chrom or self._same_contig(chrom, locus.chrom))
        if in_locus:
            expected = locus.bases[pos - locus.start: end - locus.start + 1]
            if ref != expected and any(e != "N" and r != "N" and r != e for r, e in zip(ref, expected)):
                raise InputError(f"{self.path}: record {record.name}: REF {ref} does not match the reference "
                                 f"({expected} at {locus.chrom}:{pos}); was the VCF called on genome_build?")
        if not alts:
            return [ReferenceSite(chrom, pos, record.end, _site_depth(record))]
        gt_alleles, phased, genotype = _genotype(fmt.get("GT") if fmt else None)
        filter_column = record.fields[6]
        if filter_column in ("PASS", ".", ""):
            passes, filter_text = True, "PASS"
        else:
            filters = [f for f in filter_column.split(";") if f and f != "."]
            passes, filter_text = self.settings.passes(filters), ";".join(filters) or "PASS"
        reference_only = gt_alleles is not None and not any(gt_alleles) \
            and fmt.get("SS") not in CARRIED_SOMATIC_STATUS
        found: list[Allele | ReferenceSite] = []
        name = None
        for index, alt in enumerate(alts, start=1):
            if not alt.isalpha():  # symbolic (<DEL>), '*', '.', or a breakend (N[chr1:5[): not a base change
                if alt not in NOT_ANNOTATABLE:
                    log.warning("%s: record %s: allele %s is symbolic and is skipped", self.path, record.name, alt)
                continue
            counts = allele_counts(fmt, record.info, ref, alts, index)
            if counts.dp_below_ad:
                self._warn_dp_below_ad(record)
            if fmt is None and counts.dialect == "none":  # sites-only, no INFO AF: reads unknown
                counts = Counts(None, counts.depth, None, "sites_only")
            if reference_only:
                found.append(ReferenceSite(chrom, pos, end, counts.depth, counts.alt_reads))
                continue
            if fmt is None:  # sites-only: the record is the call (an INFO AF of 0 says otherwise)
                carried = counts.vaf is None or counts.vaf > 0
            elif gt_alleles is not None and (any(gt_alleles) or fmt.get("SS") not in CARRIED_SOMATIC_STATUS):
                carried = index in gt_alleles
            elif counts.alt_reads is not None:
                carried = counts.alt_reads >= self.settings.min_alt_reads
            else:
                carried = counts.vaf is not None and counts.vaf > 0
            if len(ref) == 1 == len(alt):  # an SNV is already minimal
                npos, nref, nalt = pos, ref, alt.upper()
            else:
                npos, nref, nalt = self._normalise(pos, ref, alt.upper(), locus if in_locus else None)
            if phased or (fmt and "PID" in fmt):
                haplotype, is_phased, phase_set = _phase(fmt, gt_alleles, phased, index)
            else:
                haplotype, is_phased, phase_set = None, False, None
            name = name or record.name
            found.append(Allele(chrom, npos, nref, nalt, filter_text, passes, carried, counts, genotype,
                                is_phased, haplotype, phase_set, name))
        return found

    def _warn_dp_below_ad(self, record: Record) -> None:
        if not self._dp_below_ad_warned:
            self._dp_below_ad_warned = True
            log.warning("%s: record %s (and maybe others): FORMAT DP is below the reads in AD (GATK3 and MuTect1 "
                        "write DP after read filters, AD before); depth and VAF are taken from AD, as vcf2maf does",
                        self.path, record.name)

    def _same_contig(self, chrom: str, other: str) -> bool:
        """``chrom`` and ``other`` name one contig (6 / chr6), remembered per spelling."""
        key = (chrom, other)
        if key not in self._contig_match:
            self._contig_match[key] = resolve_contig(chrom, (other,)) is not None
        return self._contig_match[key]

    @staticmethod
    def _normalise(pos, ref, alt, locus):
        if locus is None:
            return trim_only(pos, ref, alt)
        try:
            return normalise(pos, ref, alt, lambda p: locus.seq(p, p))
        except ValueError:  # walked off the loaded locus: keep the trimmed form
            return trim_only(pos, ref, alt)

    def close(self) -> None:
        self.source.close()


def _tumour_by_name(samples: list[str]) -> int | None:
    """The one column whose name says tumour; of two columns, the one that is not the normal."""
    def words(name: str) -> list[str]:
        return [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]

    tumour = [i for i, s in enumerate(samples) if any(_TUMOUR_WORD.match(w) for w in words(s))]
    normal = [i for i, s in enumerate(samples) if any(_NORMAL_WORD.match(w) for w in words(s))]
    tumour = [i for i in tumour if i not in normal]
    if len(tumour) == 1:
        return tumour[0]
    if not tumour and len(samples) == 2 and len(normal) == 1:
        return 1 - normal[0]
    return None


@lru_cache(maxsize=4096)  # a VCF holds a handful of distinct GT texts: parse each once
def _genotype(text: str | None) -> tuple[tuple[int, ...] | None, bool, str]:
    """GT text -> (allele indices, -1 for '.'; phased; as displayed); None when absent or all missing."""
    if not text or text == ".":
        return None, False, ""
    phased = "|" in text
    parts = text.replace("|", "/").split("/") if phased else text.split("/")
    try:
        alleles = tuple(-1 if a in (".", "") else int(a) for a in parts)
    except ValueError:
        raise MalformedRecord(f"GT is {text!r}, not a genotype such as 0/1 or 0|1") from None
    if all(a < 0 for a in alleles):
        return None, False, ""
    return alleles, phased, ("|" if phased else "/").join("." if a < 0 else str(a) for a in alleles)


def _phase_set(fmt: dict[str, str] | None) -> str | None:
    if not fmt:
        return None
    ps = fmt.get("PS")
    if ps and is_count(ps) and int(ps) > 0:
        return f"PS:{int(ps)}"
    pid = (fmt.get("PID") or "").strip()
    if pid and pid != ".":
        return f"PID:{pid}"
    return None


def _phase(fmt, gt_alleles, phased: bool, index: int):
    """(haplotype slot, phased, phase set): from a phased GT (+PS), else Mutect2's PGT/PID."""
    phase_set = _phase_set(fmt)
    if phased and gt_alleles and index in gt_alleles:
        # VCF: phased genotypes without PS all belong to one phase set.
        return gt_alleles.index(index), True, phase_set or "GT"
    if phase_set and phase_set.startswith("PID:"):
        pgt = (fmt.get("PGT") or "").strip()
        if "|" in pgt and "1" in pgt.split("|"):
            return pgt.split("|").index("1"), True, phase_set
    return None, False, None


def _site_depth(record: Record) -> int | None:
    """Depth of a reference-only record: FORMAT MIN_DP (a gVCF block's lowest depth) or DP, else INFO DP."""
    for key in ("MIN_DP", "DP"):
        value = record.fmt.get(key) if record.fmt else None
        if value and is_count(value):
            return int(value)
    dp = record.info("DP")
    return int(dp) if dp and is_count(dp) else None
