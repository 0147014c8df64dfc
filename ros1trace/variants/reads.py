"""Counting reads in a BAM/CRAM (pysam): allele support at a site, and phase of two changes.

* An allele is supported by a read when the read's aligned bases reproduce it exactly: the ALT
  bases at every changed position for substitutions (SNV or MNV), a deletion of exactly the
  deleted bases, or an insertion of exactly the inserted bases after the anchor.  Reads carrying
  the reference there count toward depth only.  Reads below ``min_mapping_quality``, duplicates,
  secondary/supplementary and QC-failed reads are ignored, and so is a read whose base quality
  at a checked position is below ``min_base_quality``.
* Phase of two changes in one codon: reads covering both positions are sorted into carrying
  both (cis), one only, or neither.  Cis when reads with both are at least ``min_alt_reads`` and
  at least as many as reads with only one; trans when no read carries both and each change has
  ``min_alt_reads`` reads of its own; otherwise unknown (the caller then falls back to VAFs).
* Support of a haplotype of several changes (a codon change made of two or three changed bases):
  a read carries the haplotype only when it carries every change; a read that carries some but
  not all of them is counted apart (partial), and so is not evidence of the haplotype.  The depth
  at each change is counted on its own, and the haplotype's depth is the smallest of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..reference.genome import resolve_contig


@dataclass(frozen=True)
class ReadSettings:
    min_base_quality: int = 20
    min_mapping_quality: int = 20


@dataclass(frozen=True)
class Support:
    alt_reads: int
    depth: int


@dataclass(frozen=True)
class HaplotypeSupport:
    alt_reads: int  # reads carrying every change
    partial_reads: int  # reads covering every change and carrying some, not all
    depths: tuple[int, ...]  # reads showing ref or alt at each change, in the order given

    @property
    def depth(self) -> int:
        return min(self.depths, default=0)


def _usable(read, settings: ReadSettings) -> bool:
    return not (read.is_unmapped or read.is_duplicate or read.is_secondary or read.is_supplementary
                or read.is_qcfail or read.mapping_quality < settings.min_mapping_quality)


def _aligned(read) -> tuple[dict[int, int], dict[int, str]]:
    """ref pos (1-based) -> query index; and ref pos -> bases inserted right after it."""
    positions: dict[int, int] = {}
    inserted: dict[int, str] = {}
    last_ref = None
    sequence = read.query_sequence or ""
    for query, ref in read.get_aligned_pairs():
        if ref is not None:
            last_ref = ref + 1
            if query is not None:
                positions[last_ref] = query
        elif query is not None and last_ref is not None:
            inserted[last_ref] = inserted.get(last_ref, "") + sequence[query]
    return positions, inserted


def read_state(read, pos: int, ref: str, alt: str, settings: ReadSettings) -> str | None:
    """'alt', 'ref' or None (does not cover the site, low quality, or another allele)."""
    positions, inserted = _aligned(read)
    sequence, qualities = read.query_sequence or "", read.query_qualities
    end = pos + len(ref) - 1
    if len(ref) == len(alt):  # SNV / MNV: compare every changed base
        bases = []
        for p in range(pos, end + 1):
            q = positions.get(p)
            if q is None or (qualities is not None and qualities[q] < settings.min_base_quality):
                return None
            bases.append(sequence[q])
        seen = "".join(bases).upper()
        return "alt" if seen == alt else "ref" if seen == ref else None
    # Indels: anchor base and the base after the event must be aligned.
    if pos not in positions or (end + 1) not in positions and len(ref) > len(alt):
        return None
    if len(ref) > len(alt):  # deletion of ref[1:]
        deleted = all(p not in positions for p in range(pos + 1, end + 1))
        if deleted and not inserted.get(pos):
            return "alt"
        return "ref" if all(p in positions for p in range(pos + 1, end + 1)) and not inserted.get(pos) else None
    grown = inserted.get(pos, "")
    if grown.upper() == alt[1:]:
        return "alt"
    return "ref" if not grown and (pos + 1) in positions else None


class Bam:
    """A BAM/CRAM opened once, queried many times."""

    def __init__(self, path: str, settings: ReadSettings, reference_fasta: str | None = None):
        import pysam

        self.path = path
        self.settings = settings
        with open(path, "rb") as handle:  # htslib is handed only what starts like a BAM or CRAM
            magic = handle.read(4)
        if magic[:2] != b"\x1f\x8b" and magic != b"CRAM":
            raise InputError(f"{path}: not a BAM or CRAM (it does not start like one); give the indexed BAM/CRAM "
                             "in the sheet's bam column")
        try:
            self.handle = pysam.AlignmentFile(path, reference_filename=reference_fasta)
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: cannot be read as BAM/CRAM ({error}); check it with 'samtools quickcheck' "
                             "and re-index it with 'samtools index'") from None

    def _reads(self, chrom: str, start: int, end: int):
        contig = resolve_contig(chrom, self.handle.references)
        if contig is None:
            return
        try:
            for read in self.handle.fetch(contig, start - 1, end):
                if _usable(read, self.settings):
                    yield read
        except (OSError, ValueError) as error:  # a damaged block or index
            raise InputError(f"{self.path}: htslib could not read the reads at {contig}:{start}-{end} ({error}); "
                             "check it with 'samtools quickcheck' and re-index it") from None

    def support(self, chrom: str, pos: int, ref: str, alt: str) -> Support:
        alt_reads = depth = 0
        for read in self._reads(chrom, pos, pos + len(ref)):
            state = read_state(read, pos, ref, alt, self.settings)
            if state is not None:
                depth += 1
                alt_reads += state == "alt"
        return Support(alt_reads, depth)

    def phase(self, chrom: str, first: tuple[int, str, str], second: tuple[int, str, str]) -> tuple[int, int, int]:
        """Reads carrying (both, first only, second only) of two changes."""
        both = only_first = only_second = 0
        low = min(first[0], second[0])
        high = max(first[0] + len(first[1]), second[0] + len(second[1]))
        for read in self._reads(chrom, low, high):
            a = read_state(read, *first, self.settings)
            b = read_state(read, *second, self.settings)
            if a is None or b is None:
                continue
            both += a == "alt" and b == "alt"
            only_first += a == "alt" and b == "ref"
            only_second += a == "ref" and b == "alt"
        return both, only_first, only_second

    def haplotype(self, chrom: str, changes: list[tuple[int, str, str]]) -> HaplotypeSupport:
        """Reads carrying all of ``changes`` (pos, ref, alt), some of them, and the depth at each."""
        whole = partial = 0
        depths = [0] * len(changes)
        low = min(pos for pos, _, _ in changes)
        high = max(pos + len(ref) for pos, ref, _ in changes)
        for read in self._reads(chrom, low, high):
            states = [read_state(read, *change, self.settings) for change in changes]
            for index, state in enumerate(states):
                depths[index] += state is not None
            if None in states:
                continue
            carried = states.count("alt")
            whole += carried == len(changes)
            partial += 0 < carried < len(changes)
        return HaplotypeSupport(whole, partial, tuple(depths))

    def close(self) -> None:
        self.handle.close()
