"""Reference sequence of the ROS1 locus, read from the user's faidx-indexed FASTA.

No ROS1 nucleotide sequence ships with ros1trace (none was found offline; see
resources/reference/SOURCES.md), so the bases always come from the user's FASTA (plain or
bgzipped, with .fai and, when bgzipped, .gzi).  Before anything is annotated the CDS is spliced
through the bundled exon table and translated: it must equal P08922 with ATG first and a stop
last.  A mismatch means a FASTA of the other build (or not a human reference at all), and an
annotation made on it would be wrong at every base, so it stops the run unless the user says why
their FASTA differs (``allow_reference_mismatch``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .transcript import Transcript, protein, reverse_complement, translate

LOCUS_FLANK = 2_000  # bases either side of the transcript: room to left-align indels at its edges


def contig_aliases(chrom: str) -> tuple[str, str]:
    """``6`` and ``chr6`` name the same contig; return both spellings."""
    bare = chrom[3:] if chrom.lower().startswith("chr") else chrom
    return bare, f"chr{bare}"


def resolve_contig(chrom: str, available) -> str | None:
    """The spelling of ``chrom`` used by a file whose contigs are ``available``."""
    for name in (chrom, *contig_aliases(chrom)):
        if name in available:
            return name
    return None


@dataclass
class Locus:
    """Uppercase reference bases of the ROS1 locus on one contig, 1-based access."""

    chrom: str  # the FASTA's own spelling
    start: int
    end: int
    bases: str

    def contains(self, pos: int, end: int | None = None) -> bool:
        return self.start <= pos and (end if end is not None else pos) <= self.end

    def seq(self, start: int, end: int) -> str:
        """Bases ``start..end`` (1-based closed); must lie inside the locus."""
        if not self.contains(start, end):
            raise ValueError(f"{self.chrom}:{start}-{end} is outside the loaded locus {self.start}-{self.end}")
        return self.bases[start - self.start : end - self.start + 1]


def _open_fasta(path: Path):
    import pysam  # imported here so that modules importing genome for names stay light

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: reference FASTA not found; set reference_fasta to an existing file")
    if not Path(f"{path}.fai").exists():
        raise InputError(f"{path}: no .fai index next to the FASTA; run 'samtools faidx {path}'")
    try:
        return pysam.FastaFile(str(path))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as a faidx-indexed FASTA ({exc}); "
                         "use plain or bgzip-compressed FASTA with .fai (and .gzi when bgzipped)") from exc


def load_locus(path: Path, tx: Transcript, flank: int = LOCUS_FLANK) -> Locus:
    """Read the ROS1 transcript span +- ``flank`` from the FASTA."""
    with _open_fasta(path) as fasta:
        contig = resolve_contig(tx.chrom, fasta.references)
        if contig is None:
            raise InputError(f"{path}: no contig named {tx.chrom} or {contig_aliases(tx.chrom)[0]}; "
                             f"reference_fasta must be a {tx.build} FASTA that contains chromosome 6")
        length = fasta.get_reference_length(contig)
        start, end = max(1, tx.start - flank), min(length, tx.end + flank)
        if end < tx.end:
            raise InputError(f"{path}: contig {contig} is {length} bp, shorter than the ROS1 end "
                             f"{tx.end} on {tx.build}; genome_build does not match this FASTA")
        bases = fasta.fetch(contig, start - 1, end).upper()
    return Locus(contig, start, end, bases)


def coding_sequence(locus: Locus, tx: Transcript) -> str:
    """Spliced CDS (c.1 .. c.cds_length) on the coding strand (the model is minus-strand)."""
    low, high = tx.cds_genomic_last, tx.cds_genomic_first  # c.7044 .. c.1
    plus = "".join(locus.seq(max(e.start, low), min(e.end, high)) for e in sorted(tx.exons, key=lambda e: e.start)
                   if e.start <= high and e.end >= low)
    return reverse_complement(plus)


def check_protein(locus: Locus, tx: Transcript, source: str) -> list[str]:
    """Problems found translating the CDS against P08922 (empty when it matches)."""
    cds = coding_sequence(locus, tx)
    expected = protein()
    translated = translate(cds)
    problems = []
    if cds[:3] != "ATG":
        problems.append(f"c.1-3 is {cds[:3]}, not ATG")
    if translated[-1:] != "*":
        problems.append(f"c.{tx.cds_length - 2}-{tx.cds_length} is {cds[-3:]}, not a stop codon")
    for i, (got, want) in enumerate(zip(translated, expected), start=1):
        if got != want:
            problems.append(f"residue {i} translates to {got} (codon {cds[3 * i - 3:3 * i]}), "
                            f"P08922 has {want}")
            break
    if problems:
        problems[0] = (f"{source}: the ROS1 CDS spliced on {tx.build} does not encode P08922: "
                       f"{problems[0]}; is genome_build ({tx.build}) the build of this FASTA?")
    return problems
