"""Reading small-variant VCFs: the tumour column, the ROS1 region, one normalised allele at a time.

* Plain or bgzipped VCF (or BCF).  With a .tbi/.csi index only the requested region is read, so the
  cost does not grow with the file.  A bgzipped VCF without an index is indexed once into a
  temporary .tbi (htslib reads the file in one pass at C speed, 3x faster than iterating records
  in Python) and then queried; if that fails (unsorted file) or the file is plain text, it is
  streamed once with cyvcf2.
* ``chr6`` and ``6`` name the same contig, whichever the VCF and the FASTA use.
* Multi-allelic records are split; each ALT allele is trimmed and left-aligned against the
  reference (``normalise``).  Symbolic alleles (``<DEL>``), the ``*`` allele and breakends cannot
  be annotated as small variants: they are skipped with a warning.
* What counts as a call (CONTRACT.md): the sample carries the ALT allele (its GT contains it;
  without a GT: alt reads >= ``min_alt_reads`` or AF > 0) and the record passes the FILTER
  policy.  ``0/0`` genotypes (force-called sites, gVCF reference blocks) are not calls: they give
  the depth at the site and are returned as ``ReferenceSite``.
* A record that contradicts the reference inside the loaded locus, or holds impossible values,
  stops the run with one line naming the file and the record.
"""

from __future__ import annotations

import gzip
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .dialects import Counts, MalformedRecord, allele_counts
from .errors import InputError
from .genome import Locus, contig_aliases, resolve_contig
from .normalise import normalise, trim_only

log = logging.getLogger(__name__)
TUMOUR_COLUMN_NAMES = ("TUMOR", "TUMOUR", "tumor", "tumour")


@dataclass
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


@dataclass
class ReferenceSite:
    """A record (or gVCF block) that shows the sample does *not* carry an allele: depth only."""

    chrom: str
    start: int
    end: int
    depth: int | None
    alt_reads: int | None = None  # reads for a listed ALT in a 0/0 record, when given


@dataclass
class Region:
    chrom: str  # any spelling (6 or chr6)
    start: int
    end: int


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


@dataclass
class VcfReader:
    path: Path
    settings: VcfSettings = field(default_factory=VcfSettings)

    def __post_init__(self):
        import cyvcf2

        self.path = Path(self.path)
        try:
            self.vcf = cyvcf2.VCF(str(self.path))
        except (OSError, Exception) as exc:  # cyvcf2 raises bare Exception on unreadable files
            raise InputError(f"{self.path}: cannot be read as VCF ({exc}); give a VCF, bgzipped VCF or BCF") from exc
        self.sample = self._tumour_column()
        self._scratch = None
        self._contig_match: dict[tuple[str, str], bool] = {}
        self.indexed = any(Path(f"{self.path}{s}").exists() for s in (".tbi", ".csi")) or self._temporary_index()
        self.seqnames = self._seqnames()

    def _temporary_index(self) -> bool:
        """Index a bgzipped, sorted VCF into a scratch .tbi; False (stream instead) when impossible."""
        import tempfile

        import pysam

        with open(self.path, "rb") as handle:
            head = handle.read(18)
        if not (len(head) == 18 and head[:4] == b"\x1f\x8b\x08\x04" and head[12:14] == b"BC"):
            return False  # not BGZF: tabix cannot index it
        with gzip.open(self.path, "rb") as handle:
            if not handle.read(16).startswith(b"##fileformat=VCF"):
                return False  # BCF (or not a VCF): streamed instead
        self._scratch = tempfile.TemporaryDirectory(prefix="ros1trace-index-")
        index = Path(self._scratch.name) / "records.tbi"
        try:
            pysam.tabix_index(str(self.path), preset="vcf", index=str(index), force=True, keep_original=True)
            self.vcf.set_index(str(index))
        except (OSError, ValueError) as exc:
            log.info("%s: no temporary index (%s); streaming the file once", self.path, exc)
            self._scratch.cleanup()
            self._scratch = None
            return False
        return True

    # -- header ---------------------------------------------------------------------------------
    def _tumour_column(self) -> int | None:
        samples = list(self.vcf.samples)
        wanted = self.settings.tumor_sample
        if wanted:
            if wanted not in samples:
                raise InputError(f"{self.path}: tumor_sample {wanted!r} is not a sample column; "
                                 f"the columns are {', '.join(samples) or '(none)'}")
            return samples.index(wanted)
        if len(samples) <= 1:
            return 0 if samples else None
        for line in self.vcf.raw_header.splitlines():
            if line.startswith("##tumor_sample="):
                name = line.split("=", 1)[1].strip()
                if name in samples:
                    return samples.index(name)
        for name in TUMOUR_COLUMN_NAMES:
            if name in samples:
                return samples.index(name)
        raise InputError(f"{self.path}: {len(samples)} sample columns ({', '.join(samples)}) and no "
                         "##tumor_sample header line; set tumor_sample in the sample sheet")

    def _seqnames(self) -> list[str]:
        """Contig names: the header's ##contig lines, else (no such lines) the index's sequences.

        Reading the index's names costs a second index load, so it is only done when needed.
        """
        names = [line[len("##contig=<ID="):].split(",")[0].rstrip(">")
                 for line in self.vcf.raw_header.splitlines() if line.startswith("##contig=<ID=")]
        if not names and self.indexed:
            names = list(self.vcf.seqnames)
        return names

    # -- records --------------------------------------------------------------------------------
    def records(self, regions: list[Region]) -> Iterator:
        """Raw cyvcf2 records overlapping any region (index query, else one streaming pass)."""
        try:
            if self.indexed:
                for region in regions:
                    contig = resolve_contig(region.chrom, self.seqnames)
                    if contig is None:
                        continue
                    with warnings.catch_warnings():  # an empty region is not worth a warning
                        warnings.filterwarnings("ignore", message="no intervals found")
                        yield from self.vcf(f"{contig}:{region.start}-{region.end}")
            else:
                wanted = {}
                for region in regions:
                    for name in contig_aliases(region.chrom):
                        wanted.setdefault(name, []).append((region.start, region.end))
                for variant in self.vcf:
                    spans = wanted.get(variant.CHROM)
                    if spans and any(s <= variant.end and variant.POS <= e for s, e in spans):
                        yield variant
        except InputError:
            raise
        except Exception as exc:  # htslib parse failures surface as bare Exceptions
            raise InputError(self._parse_failure(exc)) from exc

    def _parse_failure(self, exc: Exception) -> str:
        """Find the offending line (error path only) to name it in the message."""
        opener = gzip.open if self.path.suffix in (".gz", ".bgz") else open
        try:
            with opener(self.path, "rt") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.startswith("#"):
                        continue
                    fields = line.rstrip("\n").split("\t")
                    if len(fields) < 8:
                        return f"{self.path} line {number}: {len(fields)} tab-separated fields, a VCF record needs 8+"
                    if not fields[1].isdigit():
                        return f"{self.path} line {number}: POS {fields[1]!r} is not a positive integer; fix the record"
        except (OSError, UnicodeDecodeError):
            pass
        return f"{self.path}: htslib could not parse a record ({exc}); validate the file with 'bcftools view'"

    def alleles(self, regions: list[Region], locus: Locus | None) -> Iterator[Allele | ReferenceSite]:
        """Every ALT allele (normalised) and every reference-only site in the regions."""
        for variant in self.records(regions):
            yield from self.alleles_of(variant, locus)

    def alleles_of(self, variant, locus: Locus | None) -> Iterator[Allele | ReferenceSite]:
        chrom, pos, ref, alts = variant.CHROM, variant.POS, variant.REF.upper(), variant.ALT
        name = f"{chrom}:{pos} {ref}>{','.join(alts) or '.'}"
        in_locus = (locus is not None and self._same_contig(chrom, locus.chrom)
                    and locus.contains(pos, pos + len(ref) - 1))
        if in_locus:
            expected = locus.seq(pos, pos + len(ref) - 1)
            if any(e != "N" and r != e for r, e in zip(ref, expected)):
                raise InputError(f"{self.path}: record {name}: REF {ref} does not match the reference "
                                 f"({expected} at {locus.chrom}:{pos}); was the VCF called on genome_build?")
        keys = frozenset(variant.FORMAT or ())  # read once: each access builds a list in cyvcf2
        gt_alleles, phased = self._genotype(variant, keys)
        genotype = "" if gt_alleles is None else ("|" if phased else "/").join(
            "." if a < 0 else str(a) for a in gt_alleles)
        filters = [f for f in (variant.FILTER or "PASS").split(";") if f]
        passes = self.settings.passes(filters)
        filter_text = ";".join(filters) if filters else "PASS"
        if not alts or all(a in (".", "") for a in alts):
            depth = self._site_depth(variant, keys)
            end = variant.INFO.get("END") or variant.end
            yield ReferenceSite(chrom, pos, int(end), depth)
            return
        for index, alt in enumerate(alts, start=1):
            if alt.startswith("<") or alt == "*" or "[" in alt or "]" in alt or alt == ".":
                if alt != "<NON_REF>" and alt != "<*>":
                    log.warning("%s: record %s: allele %s is symbolic and is skipped", self.path, name, alt)
                continue
            try:
                counts = allele_counts(variant, self.sample, index, keys)
            except MalformedRecord as exc:
                raise InputError(f"{self.path}: record {name}: {exc}; fix the record or the caller's output")
            carried = self._carries(gt_alleles, index, counts)
            if gt_alleles is not None and all(a == 0 for a in gt_alleles):
                yield ReferenceSite(chrom, pos, pos + len(ref) - 1, counts.depth, counts.alt_reads)
                continue
            npos, nref, nalt = self._normalise(pos, ref, alt.upper(), locus if in_locus else None)
            haplotype, is_phased, phase_set = self._phase(variant, keys, gt_alleles, phased, index)
            yield Allele(chrom, npos, nref, nalt, filter_text, passes, carried, counts, genotype,
                         is_phased, haplotype, phase_set, name)

    def _same_contig(self, chrom: str, other: str) -> bool:
        """``chrom`` and ``other`` name one contig (6 / chr6), remembered per spelling."""
        key = (chrom, other)
        if key not in self._contig_match:
            self._contig_match[key] = resolve_contig(chrom, (other,)) is not None
        return self._contig_match[key]

    def _normalise(self, pos, ref, alt, locus):
        if locus is None:
            return trim_only(pos, ref, alt)
        try:
            return normalise(pos, ref, alt, lambda p: locus.seq(p, p))
        except ValueError:  # walked off the loaded locus: keep the trimmed form
            return trim_only(pos, ref, alt)

    def _genotype(self, variant, keys: frozenset) -> tuple[list[int] | None, bool]:
        if self.sample is None or "GT" not in keys:
            return None, False
        gt = variant.genotypes[self.sample]
        alleles = [int(a) for a in gt[:-1]]
        if all(a < 0 for a in alleles):
            return None, False
        return alleles, bool(gt[-1])

    def _carries(self, gt_alleles, index: int, counts: Counts) -> bool:
        if gt_alleles is not None:
            return index in gt_alleles
        if counts.alt_reads is not None:
            return counts.alt_reads >= self.settings.min_alt_reads
        return counts.vaf is not None and counts.vaf > 0

    def _phase_set(self, variant, fields: frozenset) -> str | None:
        if self.sample is None:
            return None
        if "PS" in fields:
            value = variant.format("PS")
            if value is not None and value.dtype.kind in "iu" and value[self.sample][0] > 0:
                return f"PS:{int(value[self.sample][0])}"
        if "PID" in fields:
            value = variant.format("PID")
            if value is not None:
                text = str(value[self.sample]).strip()
                if text and text != ".":
                    return f"PID:{text}"
        return None

    def _site_depth(self, variant, keys: frozenset) -> int | None:
        for key in ("DP", "MIN_DP"):
            if self.sample is not None and key in keys:
                value = variant.format(key)
                if value is not None and value[self.sample][0] >= 0:
                    return int(value[self.sample][0])
        dp = variant.INFO.get("DP")
        return int(dp) if dp is not None else None

    def _phase(self, variant, keys: frozenset, gt_alleles, phased: bool, index: int):
        """(haplotype slot, phased, phase set): from a phased GT (+PS), else Mutect2's PGT/PID."""
        phase_set = self._phase_set(variant, keys)
        if phased and gt_alleles and index in gt_alleles:
            # VCF: phased genotypes without PS all belong to one phase set.
            return gt_alleles.index(index), True, phase_set or "GT"
        if phase_set and phase_set.startswith("PID:") and "PGT" in keys:
            pgt = str(variant.format("PGT")[self.sample]).strip()
            if "|" in pgt and "1" in pgt.split("|"):
                return pgt.split("|").index("1"), True, phase_set
        return None, False, None

    def close(self) -> None:
        self.vcf.close()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
