"""ROS1 reference facts: the NM_002944.2 transcript model, the protein, the genetic code.

Biology encoded here
--------------------
* The literature numbers ROS1 on NM_002944.2 / ENST00000368508 / P08922 (2347 aa), **not** on the
  MANE Select isoform (NM_001378902.1, 2341 aa).  Every coordinate below comes from the bundled
  tables in ``resources/reference`` (see SOURCES.md there); nothing is typed in by hand.
* ROS1 lies on the minus strand of chr6.  Exon 1 has the highest coordinates; c.1 is the A of the
  ATG at GRCh38 chr6:117425656 (GRCh37 117746819) and c.7044 the last base of the stop codon.
* HGVS c. numbering: exonic bases are counted along the transcript from c.1; 5'UTR bases are
  c.-1, c.-2, ... upstream of c.1, 3'UTR bases c.*1, c.*2, ... downstream of c.7044.  An intronic
  base is named from the nearest exon edge, c.N+k after an exon and c.N-k before one; the middle
  base of an odd-length intron belongs to the upstream exon (``+``), as HGVS says.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BUILDS = ("GRCh38", "GRCh37")
TRANSCRIPT = "NM_002944.2"
ENSEMBL_TRANSCRIPT = "ENST00000368508"
PROTEIN_ACCESSION = "P08922"
GENE = "ROS1"
KINASE_DOMAIN = (1945, 2215)  # Pfam PF07714 Pkinase_Tyr on NP_002935, resources/reference/ros1_domains.tsv

CODON_TABLE = {
    a + b + c: aa
    for (a, b, c), aa in zip(
        ((x, y, z) for x in "TCAG" for y in "TCAG" for z in "TCAG"),
        "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
    )
}
THREE_LETTER = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
    "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
    "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter",
}
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (override with ROS1TRACE_RESOURCES)."""
    return Path(os.environ.get("ROS1TRACE_RESOURCES", Path(__file__).resolve().parents[2] / "resources"))


def complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


def translate(cds: str) -> str:
    """Translate a coding sequence codon by codon; codons with N or other letters become X."""
    return "".join(CODON_TABLE.get(cds[i : i + 3], "X") for i in range(0, len(cds) - len(cds) % 3, 3))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a bundled tab-separated table whose header follows optional ``#`` comment lines.

    The bundled tables hold no quoted fields, so a line is split on tabs (several times faster
    than the csv module, and jobs read these tables at start-up); missing trailing fields are ''.
    """
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\r\n") for line in handle if not line.startswith("#") and line.strip()]
    header = lines[0].split("\t")
    padding = [""] * len(header)
    return [dict(zip(header, line.split("\t") + padding)) for line in lines[1:]]


@cache
def protein() -> str:
    """P08922, 2347 residues, from resources/reference/ros1_protein.fa."""
    lines = (resources_dir() / "reference" / "ros1_protein.fa").read_text().splitlines()
    return "".join(line.strip() for line in lines if not line.startswith(">"))


@dataclass(frozen=True)
class Exon:
    number: int
    start: int  # genomic, 1-based closed
    end: int
    cdna_start: int  # transcript position of the exon's 5' base
    cdna_end: int


@dataclass(slots=True)  # annotation places many bases: slots, not frozen (3x faster to make)
class TxPos:
    """A genomic position placed on the transcript.

    ``cdna`` is the transcript coordinate of the exonic anchor, ``offset`` the intronic distance
    from it (0 for exonic bases; + after an exon, - before one).  Positions outside the transcript
    are ``None`` (the caller reports them as upstream/downstream).
    """

    cdna: int
    offset: int
    exon: int | None
    intron: int | None


class Transcript:
    """NM_002944.2 on one genome build: exons, CDS, and the genome <-> c. mapping."""

    def __init__(self, build: str):
        if build not in BUILDS:
            raise ValueError(f"genome_build must be one of {', '.join(BUILDS)}, not {build!r}")
        self.build = build
        rows = read_tsv(resources_dir() / "reference" / f"ros1_transcript_{build}.tsv")
        self.chrom = rows[0]["chrom"]
        self.strand = rows[0]["strand"]
        if self.strand != "-":
            raise ValueError("the bundled ROS1 model is expected on the minus strand")
        self.exons = [
            Exon(int(r["exon"]), int(r["start"]), int(r["end"]), int(r["cdna_start"]), int(r["cdna_end"]))
            for r in rows
        ]
        coding = [r for r in rows if r["c_start"] not in ("", ".")]
        first, last = coding[0], coding[-1]
        self.utr5_length = int(first["cdna_start"]) + (int(first["end"]) - int(first["cds_end"])) - 1
        self.cds_length = int(last["c_end"])
        self.cds_genomic_first = int(first["cds_end"])  # c.1 (highest coordinate, minus strand)
        self.cds_genomic_last = int(last["cds_start"])  # c.7044
        self.tx_length = self.exons[-1].cdna_end
        self.start = min(e.start for e in self.exons)
        self.end = max(e.end for e in self.exons)
        # Exons sorted by genomic start, for bisect.
        self._by_start = sorted(self.exons, key=lambda e: e.start)
        self._starts = [e.start for e in self._by_start]
        self._placed: dict[int, TxPos | None] = {}  # annotation asks for the same bases many times

    # -- genome -> transcript ------------------------------------------------------------------
    def locate(self, pos: int) -> TxPos | None:
        """Place genomic ``pos`` on the transcript; ``None`` outside the transcribed span."""
        placed = self._placed.get(pos, False)
        if placed is False:
            placed = self._placed[pos] = self._locate(pos)
        return placed

    def _locate(self, pos: int) -> TxPos | None:
        if pos < self.start or pos > self.end:
            return None
        i = bisect.bisect_right(self._starts, pos) - 1
        exon = self._by_start[i]
        if pos <= exon.end:  # exonic (minus strand: cdna grows as the coordinate falls)
            return TxPos(exon.cdna_start + (exon.end - pos), 0, exon.number, None)
        # Intronic: between exon (lower coordinates, downstream in transcription) and the next one.
        downstream, upstream = exon, self._by_start[i + 1]
        after_upstream = upstream.start - pos  # distance from the upstream exon's 3' edge
        before_downstream = pos - downstream.end  # distance to the downstream exon's 5' edge
        intron = upstream.number
        if after_upstream <= before_downstream:  # a tie goes to the upstream exon ("+")
            return TxPos(upstream.cdna_end, after_upstream, None, intron)
        return TxPos(downstream.cdna_start, -before_downstream, None, intron)

    def cdna_to_c(self, cdna: int) -> str:
        """Transcript coordinate -> HGVS c. number without offset: ``-15``, ``6094``, ``*20``."""
        c = cdna - self.utr5_length
        if c <= 0:
            return str(c - 1)  # c.-1 is the base before c.1: there is no c.0
        if c > self.cds_length:
            return f"*{c - self.cds_length}"
        return str(c)

    def c_label(self, pos: int) -> str | None:
        """HGVS c. position of a genomic base, e.g. ``6094``, ``5777+3``, ``-15``, ``*20``."""
        located = self.locate(pos)
        return None if located is None else self.label(located)

    def label(self, located: TxPos) -> str:
        """HGVS c. position of a placed base (see ``c_label``)."""
        base = self.cdna_to_c(located.cdna)
        if located.offset > 0:
            return f"{base}+{located.offset}"
        if located.offset < 0:
            return f"{base}{located.offset}"
        return base

    def c_of(self, pos: int) -> int | None:
        """Coding position (1..cds_length) of an exonic genomic base inside the CDS, else ``None``."""
        located = self.locate(pos)
        if located is None or located.offset:
            return None
        c = located.cdna - self.utr5_length
        return c if 1 <= c <= self.cds_length else None

    # -- transcript -> genome ------------------------------------------------------------------
    def cdna_to_genome(self, cdna: int) -> int:
        for exon in self.exons:
            if exon.cdna_start <= cdna <= exon.cdna_end:
                return exon.end - (cdna - exon.cdna_start)
        raise ValueError(f"transcript position {cdna} is outside NM_002944.2 (1..{self.tx_length})")

    def c_to_genome(self, c: int) -> int:
        """Genomic position of coding base c.``c`` (1-based, within the CDS)."""
        if not 1 <= c <= self.cds_length:
            raise ValueError(f"c.{c} is outside the CDS (c.1..c.{self.cds_length})")
        return self.cdna_to_genome(c + self.utr5_length)

    def codon_positions(self, residue: int) -> tuple[int, int, int]:
        """Genomic positions of codon ``residue``'s bases 1, 2, 3."""
        first = 3 * (residue - 1) + 1
        return tuple(self.c_to_genome(first + k) for k in range(3))  # type: ignore[return-value]

    def exon_numbering(self, pos: int) -> tuple[int | None, int | None]:
        """(exon, intron) number at a genomic position; both ``None`` outside the transcript."""
        located = self.locate(pos)
        return (None, None) if located is None else (located.exon, located.intron)

    def intron_bounds(self, number: int) -> tuple[int, int]:
        """Genomic span (start, end) of intron ``number``, between exon n and exon n+1."""
        upstream, downstream = self.exons[number - 1], self.exons[number]
        return downstream.end + 1, upstream.start - 1


@cache
def transcript(build: str) -> Transcript:
    return Transcript(build)


def residue_in_kinase_domain(residue: int) -> bool:
    return KINASE_DOMAIN[0] <= residue <= KINASE_DOMAIN[1]
