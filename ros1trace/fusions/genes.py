"""Genes a fusion breakpoint can fall in: names, strands, exon tables, an optional user GTF.

Rules encoded here
------------------
* Every position comes from the bundled tables in ``resources/reference`` (SOURCES.md there):
  ``partner_genes_<build>.tsv`` (strand, Ensembl gene id, transcript spans) and
  ``partner_exons_<build>.tsv`` (exons in transcription order).  ROS1 itself is numbered on
  NM_002944.2 through :mod:`ros1trace.reference.transcript`, never through these tables.
* Transcript choice for a partner: the named Ensembl transcript of GeneFuse when the table has
  one (for EZR and GOPC it differs from the SpliceAI/GENCODE canonical isoform: 14 vs 13 and
  8 vs 9 exons), else the GENCODE V24 canonical exons from SpliceAI, which carry no id.
* A gene's span for placing a breakpoint is the union of both transcript spans, so a break in
  either isoform is inside the gene.  Breaks in genes the table lacks are named from the user's
  GTF (``gene``/``transcript`` lines, ``gene_name`` else ``gene_id``) when one is given, else left
  unnamed and reported by coordinates.
* Names are normalised the way callers write them: ``CD74^ENSG00000019582.14`` (STAR-Fusion) is
  CD74, a bare Ensembl gene id maps through the table, old symbols map to the current one
  (FIG/PIST/CAL = GOPC, MCF3 = ROS1, VIL2 = EZR, D10S170 = CCDC6), case is ignored.  Arriba's
  intergenic form ``GENE1(1200),GENE2(800)`` names no gene (the break lies between genes).
* Chromosomes are compared without the ``chr`` prefix (``6`` = ``chr6``; ``M`` = ``MT``).
  Unplaced/alt scaffolds (``chrUn_*``, ``*_random``, ``*_alt``, GL/KI/JH contigs, HLA-*, decoys)
  are legal but hold no gene of the table; any other unknown name is an input error upstream.
* Intron n lies between exon n and exon n+1 in transcription order (for a minus-strand gene
  exon n has the higher coordinates).
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..reference.transcript import TRANSCRIPT, read_tsv, resources_dir, transcript

log = logging.getLogger(__name__)

ROS1 = "ROS1"
ALIASES = {"FIG": "GOPC", "PIST": "GOPC", "CAL": "GOPC", "MCF3": "ROS1", "VIL2": "EZR", "D10S170": "CCDC6"}
PRIMARY_CHROMS = {str(n) for n in range(1, 23)} | {"X", "Y", "MT"}
_SCAFFOLD = re.compile(r"(_|^(GL|KI|JH|HLA-|NC_|HS37D5|EBV|DECOY|UN))", re.IGNORECASE)
SPLICEAI_LABEL = "GENCODE V24 canonical"  # SpliceAI's exon table gives no transcript id


def norm_chrom(name: str) -> str:
    """``chr6`` -> ``6``; ``chrM``/``M`` -> ``MT``; other names unchanged (case kept)."""
    bare = name[3:] if name[:3].lower() == "chr" else name
    bare = bare.upper() if bare.upper() in PRIMARY_CHROMS | {"M"} else bare
    return "MT" if bare == "M" else bare


def chrom_kind(name: str) -> str:
    """``primary`` (1-22, X, Y, MT), ``scaffold`` (legal, gene-free here) or ``unknown``."""
    bare = norm_chrom(name)
    if bare in PRIMARY_CHROMS:
        return "primary"
    return "scaffold" if bare and _SCAFFOLD.search(bare) else "unknown"


@dataclass(frozen=True)
class Gene:
    symbol: str
    chrom: str  # without "chr"
    start: int
    end: int
    strand: str | None


@dataclass(frozen=True)
class ExonModel:
    """A partner transcript: exons in transcription order, 1-based closed genomic bounds."""

    gene: str
    transcript_id: str
    chrom: str
    strand: str
    exons: tuple[tuple[int, int], ...]

    def intron_bounds(self, number: int) -> tuple[int, int]:
        upstream, downstream = self.exons[number - 1], self.exons[number]
        if self.strand == "-":
            return downstream[1] + 1, upstream[0] - 1
        return upstream[1] + 1, downstream[0] - 1

    def label(self, pos: int) -> str:
        """``exon 6``, ``intron 6``, or upstream/downstream of the transcript."""
        for number, (start, end) in enumerate(self.exons, start=1):
            if start <= pos <= end:
                return f"exon {number}"
        for number in range(1, len(self.exons)):
            start, end = self.intron_bounds(number)
            if start <= pos <= end:
                return f"intron {number}"
        first = self.exons[0]
        upstream = pos > first[1] if self.strand == "-" else pos < first[0]
        return "upstream of exon 1" if upstream else f"downstream of exon {len(self.exons)}"


def ros1_label(build: str, pos: int) -> str:
    """ROS1 breakpoint on NM_002944.2: ``exon 34``, ``intron 33`` (or outside the transcript)."""
    tx = transcript(build)
    exon, intron = tx.exon_numbering(pos)
    if exon is not None:
        return f"exon {exon}"
    if intron is not None:
        return f"intron {intron}"
    return "upstream of exon 1" if pos > tx.end else f"downstream of exon {len(tx.exons)}"


@cache
def _bundled(build: str) -> tuple[dict[str, Gene], dict[str, str], dict[str, ExonModel]]:
    """(genes by symbol, symbol by Ensembl gene id, chosen exon model by symbol) for a build."""
    folder = resources_dir() / "reference"
    genes, by_ensembl = {}, {}
    for row in read_tsv(folder / f"partner_genes_{build}.tsv"):
        bounds = [int(row[k]) for k in ("spliceai_tx_start", "spliceai_tx_end", "genefuse_tx_start",
                                        "genefuse_tx_end") if row[k] not in ("", ".")]
        chrom = norm_chrom(row["chrom"])
        genes[row["gene"]] = Gene(row["gene"], chrom, min(bounds), max(bounds), row["strand"])
        by_ensembl[row["ensembl_gene_id"].split(".")[0].upper()] = row["gene"]
    exons: dict[tuple[str, str], list] = {}
    for row in read_tsv(folder / f"partner_exons_{build}.tsv"):
        exons.setdefault((row["gene"], row["transcript"]), []).append(row)
    models = {}
    for (gene, tx_id), rows in sorted(exons.items(), key=lambda item: item[0][1] == "."):
        if gene in models:  # the GeneFuse (named) transcript sorts first and wins
            continue
        rows.sort(key=lambda r: int(r["exon"]))
        exon_bounds = tuple((int(r["start"]), int(r["end"])) for r in rows)
        label = SPLICEAI_LABEL if tx_id == "." else tx_id
        models[gene] = ExonModel(gene, label, norm_chrom(rows[0]["chrom"]), rows[0]["strand"], exon_bounds)
    tx = transcript(build)
    genes[ROS1] = Gene(ROS1, norm_chrom(tx.chrom), tx.start, tx.end, tx.strand)  # NM_002944.2 span
    return genes, by_ensembl, models


class GeneTable:
    """Gene lookups for one build: bundled partners first, then an optional GTF (read lazily)."""

    def __init__(self, build: str, gtf: str | Path | None = None):
        self.build = build
        self.gtf = Path(gtf) if gtf else None
        self._genes, self._by_ensembl, self._models = _bundled(build)
        self._gtf_genes: dict[str, list[Gene]] | None = None  # by chromosome, read on first need
        self._gtf_symbols: dict[str, Gene] = {}

    def normalise(self, name: str | None) -> str | None:
        """A caller's gene field -> symbol, or ``None`` when it names no single gene."""
        if name is None:
            return None
        name = name.strip()
        if not name or name in (".", "-", "NA") or "(" in name:  # Arriba intergenic: GENE(dist),GENE(dist)
            return None
        names = [self._symbol(part) for part in name.split(",") if part.strip()]
        return ROS1 if ROS1 in names else (names[0] if names else None)

    def _symbol(self, text: str) -> str:
        symbol, _, ensembl = text.strip().partition("^")
        symbol = symbol.upper()
        for key in (symbol, ensembl.upper()):
            if key.startswith("ENSG"):
                mapped = self._by_ensembl.get(key.split(".")[0])
                if mapped:
                    return mapped
        return ALIASES.get(symbol, symbol)

    def get(self, symbol: str) -> Gene | None:
        if symbol in self._genes:
            return self._genes[symbol]
        self._load_gtf()
        return self._gtf_symbols.get(symbol)

    def at(self, chrom: str, pos: int, use_gtf: bool = True) -> Gene | None:
        """The gene whose span holds ``chrom:pos`` (bundled table first, then the GTF)."""
        bare = norm_chrom(chrom)
        for gene in self._genes.values():
            if gene.chrom == bare and gene.start <= pos <= gene.end:
                return gene
        if not use_gtf:
            return None
        hits = [g for g in self._load_gtf().get(bare, ()) if g.start <= pos <= g.end]
        return min(hits, key=lambda g: (g.end - g.start, g.symbol)) if hits else None  # the tightest gene

    def ensembl_id(self, symbol: str) -> str:
        return next((ensg for ensg, name in self._by_ensembl.items() if name == symbol), "")

    def exon_model(self, symbol: str) -> ExonModel | None:
        return self._models.get(symbol)

    def _load_gtf(self) -> dict[str, list[Gene]]:
        if self._gtf_genes is None:
            self._gtf_genes = read_gtf_genes(self.gtf) if self.gtf else {}
            for gene in (g for genes in self._gtf_genes.values() for g in genes):
                self._gtf_symbols.setdefault(gene.symbol, gene)
        return self._gtf_genes


MAX_LINE = 16 * 2**20  # characters: far above any caller's line (Arriba's read names included)


class BoundedLines:
    """A text file's lines, none longer than ``MAX_LINE``: a file without line breaks (a binary or a
    sparse file of gigabytes) is one line naming it, not a read of the whole file into memory."""

    def __init__(self, path: str | Path, handle):
        self.path, self.handle, self.number = path, handle, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def readline(self) -> str:
        """The next line ('' at the end), bounded like every other."""
        return next(iter(self), "")

    def __iter__(self):
        while True:
            line = self.handle.readline(MAX_LINE + 1)
            if not line:
                return
            self.number += 1
            if len(line) > MAX_LINE:
                raise InputError(f"{self.path} line {self.number}: longer than {MAX_LINE // 2**20} MiB without a line "
                                 "break; this is not a caller's text output")
            yield line


def open_text(path: str | Path) -> BoundedLines:
    """A plain or gzip/bgzip-compressed UTF-8 text file's lines (see ``BoundedLines``)."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
    opened = gzip.open(path, "rt", encoding="utf-8") if magic == b"\x1f\x8b" else open(path, encoding="utf-8")
    return BoundedLines(path, opened)


def read_gtf_genes(path: Path) -> dict[str, list[Gene]]:
    """Gene spans by chromosome from a GTF (plain or gzipped): union of gene/transcript lines."""
    spans: dict[tuple[str, str, str], list[int]] = {}
    try:
        with open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                fields = line.split("\t", 8)
                if len(fields) < 9 or fields[2] not in ("gene", "transcript"):
                    continue
                match = re.search(r'gene_name "([^"]+)"', fields[8]) or re.search(r'gene_id "([^"]+)"', fields[8])
                if not match:
                    continue
                if not (fields[3].isascii() and fields[3].isdigit() and fields[4].isascii() and fields[4].isdigit()
                        and len(fields[3]) <= 12 and len(fields[4]) <= 12):
                    raise InputError(f"{path} line {number}: start {fields[3][:20]!r} and end {fields[4][:20]!r} must "
                                     "be whole numbers (GTF columns 4 and 5); give a GTF file")
                key = (norm_chrom(fields[0]), match[1].upper(), fields[6])
                span = spans.setdefault(key, [int(fields[3]), int(fields[4])])
                span[0], span[1] = min(span[0], int(fields[3])), max(span[1], int(fields[4]))
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as error:
        raise InputError(f"{path}: the GTF cannot be read as UTF-8 text ({type(error).__name__}: {error}); give a "
                         "GTF file, plain or gzip-compressed, whole") from None
    genes: dict[str, list[Gene]] = {}
    for (chrom, symbol, strand), (start, end) in sorted(spans.items()):
        gene = Gene(symbol, chrom, start, end, strand if strand in ("+", "-") else None)
        genes.setdefault(chrom, []).append(gene)
    log.info("read %d genes from GTF %s", sum(map(len, genes.values())), path)
    return genes


def breakpoint_in(gene: str, build: str, intron: int | None = None,
                  exon: int | None = None) -> tuple[str, int, str]:
    """(chrom with ``chr``, position, gene strand) in the middle of intron or exon ``n`` of a gene.

    ROS1 is numbered on NM_002944.2; partners on their chosen transcript (see module header).
    """
    if (intron is None) == (exon is None):
        raise ValueError("give exactly one of intron= or exon=")
    if gene == ROS1:
        tx = transcript(build)
        exons = tuple((e.start, e.end) for e in tx.exons)
        model = ExonModel(ROS1, TRANSCRIPT, norm_chrom(tx.chrom), tx.strand, exons)
    else:
        model = _bundled(build)[2].get(gene)
        if model is None:
            raise ValueError(f"{gene} has no bundled exon table on {build}")
    count = len(model.exons) - (intron is not None)
    number = intron if intron is not None else exon
    if not 1 <= number <= count:
        raise ValueError(f"{gene} has {'introns' if intron is not None else 'exons'} 1-{count}, not {number}")
    start, end = model.intron_bounds(intron) if intron is not None else model.exons[exon - 1]
    return "chr" + model.chrom, (start + end) // 2, model.strand
