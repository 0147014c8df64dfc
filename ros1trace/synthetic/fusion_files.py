"""Synthetic fusion calls: :class:`FusionEvent` s written as each caller's output file.

The inverse of :mod:`ros1trace.fusions.formats`: parsing a written file gives the same junctions
back (tests/test_fusion_formats.py).  VCF (Manta-style symbolic DEL/DUP/INV, or BND mate pairs),
Arriba, STAR-Fusion, FusionCatcher and the generic TSV; the VCF header says SYNTHETIC.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..fusions.formats import FC_GENE, FC_ID, FC_POINT, FORMATS, LEFT, RIGHT, fc_column, kept_side
from ..fusions.genes import GeneTable, norm_chrom


@dataclass(frozen=True)
class FusionEvent:
    """A fusion as the synthetic generator means it: pos5 = last base of the 5' part,
    pos3 = first base of the 3' part; strands are the genes' transcription strands."""

    gene5: str
    gene3: str
    chrom5: str
    pos5: int
    strand5: str
    chrom3: str
    pos3: int
    strand3: str
    support: int



def bracket_alt(side: str, mate_chrom: str, mate_pos: int, mate_side: str, base: str = "N") -> str:
    """The inverse of :func:`ros1trace.fusions.formats.parse_bracket_alt`."""
    bracket = "[" if mate_side == RIGHT else "]"
    mate = f"{bracket}{mate_chrom}:{mate_pos}{bracket}"
    return base + mate if side == LEFT else mate + base


def _sides(event: FusionEvent) -> tuple[str, str]:
    return kept_side("5", event.strand5), kept_side("3", event.strand3)


def _split(total: int) -> tuple[int, int]:
    """Support split over a caller's two read counts (split reads first)."""
    return (total + 1) // 2, total // 2


def _chrom_key(chrom: str) -> tuple:
    bare = norm_chrom(chrom)
    return (0, int(bare), "") if bare.isdigit() else (1, 0, bare)


VCF_HEADER = """##fileformat=VCFv4.2
##source=ros1trace SYNTHETIC fusion calls (not a real caller)
##reference={build}
{contigs}
##ALT=<ID=DEL,Description="Deletion">
##ALT=<ID=DUP,Description="Tandem duplication">
##ALT=<ID=INV,Description="Inversion">
##FILTER=<ID=PASS,Description="All filters passed">
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">
##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant">
##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Length of the variant">
##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of the mate breakend">
##INFO=<ID=EVENT,Number=1,Type=String,Description="ID of the event the breakend belongs to">
##INFO=<ID=INV3,Number=0,Type=Flag,Description="Inversion breakends open 3' of the reported location">
##INFO=<ID=INV5,Number=0,Type=Flag,Description="Inversion breakends open 5' of the reported location">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=PR,Number=.,Type=Integer,Description="Spanning read pairs for the ref and alt alleles">
##FORMAT=<ID=SR,Number=.,Type=Integer,Description="Split reads for the ref and alt alleles">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{sample}
"""


def _vcf_records(number: int, event: FusionEvent, symbolic: bool) -> list[tuple]:
    """(chrom, pos, id, alt, info) of one event: a symbolic SV when intra-chromosomal, else a BND pair."""
    side5, side3 = _sides(event)
    name = f"fusion{number}"
    if symbolic and norm_chrom(event.chrom5) == norm_chrom(event.chrom3):
        (lo, lo_side), (hi, hi_side) = sorted([(event.pos5, side5), (event.pos3, side3)])
        shape = {(LEFT, RIGHT): ("DEL", lo, hi - 1, ""), (RIGHT, LEFT): ("DUP", lo - 1, hi, ""),
                 (LEFT, LEFT): ("INV", lo, hi, ";INV3"), (RIGHT, RIGHT): ("INV", lo - 1, hi - 1, ";INV5")}
        svtype, pos, end, flag = shape[(lo_side, hi_side)]
        svlen = -(end - pos) if svtype == "DEL" else end - pos
        return [(event.chrom5, pos, name, f"<{svtype}>", f"SVTYPE={svtype};END={end};SVLEN={svlen}{flag}")]
    one, two = f"{name}_1", f"{name}_2"
    return [
        (event.chrom5, event.pos5, one, bracket_alt(side5, event.chrom3, event.pos3, side3),
         f"SVTYPE=BND;MATEID={two};EVENT={name}"),
        (event.chrom3, event.pos3, two, bracket_alt(side3, event.chrom5, event.pos5, side5),
         f"SVTYPE=BND;MATEID={one};EVENT={name}"),
    ]


def _write_vcf(handle, events: list[FusionEvent], build: str, sample: str, symbolic: bool) -> None:
    records = []
    for number, event in enumerate(events, start=1):
        split, pairs = _split(event.support)
        records += [r + (f"0/1:0,{pairs}:0,{split}",) for r in _vcf_records(number, event, symbolic)]
    records.sort(key=lambda r: (_chrom_key(r[0]), r[1], r[2]))
    chroms = sorted({r[0] for r in records} | {e.chrom3 for e in events}, key=_chrom_key)
    handle.write(VCF_HEADER.format(build=build, sample=sample,
                                   contigs="\n".join(f"##contig=<ID={c}>" for c in chroms)))
    for chrom, pos, record_id, alt, info, sample_values in records:
        handle.write(f"{chrom}\t{pos}\t{record_id}\tN\t{alt}\t.\tPASS\t{info}\tGT:PR:SR\t{sample_values}\n")


ARRIBA_HEADER = ("gene1 gene2 strand1(gene/fusion) strand2(gene/fusion) breakpoint1 breakpoint2 site1 site2 "
                 "type split_reads1 split_reads2 discordant_mates coverage1 coverage2 confidence "
                 "reading_frame tags retained_protein_domains closest_genomic_breakpoint1 "
                 "closest_genomic_breakpoint2 gene_id1 gene_id2 transcript_id1 transcript_id2 direction1 "
                 "direction2 filters fusion_transcript peptide_sequence read_identifiers").split()


def _arriba_type(event: FusionEvent) -> str:
    if norm_chrom(event.chrom5) != norm_chrom(event.chrom3):
        return "translocation"
    side5, side3 = _sides(event)
    if side5 == side3:
        return "inversion"
    return "deletion" if (event.pos5 < event.pos3) == (side5 == LEFT) else "duplication"


def _arriba_row(event: FusionEvent, genes: GeneTable) -> dict[str, object]:
    side5, side3 = _sides(event)
    split, discordant = _split(event.support)
    direction = {LEFT: "downstream", RIGHT: "upstream"}
    return {"gene1": event.gene5, "gene2": event.gene3,
            "strand1(gene/fusion)": f"{event.strand5}/{event.strand5}",
            "strand2(gene/fusion)": f"{event.strand3}/{event.strand3}",
            "breakpoint1": f"{event.chrom5}:{event.pos5}", "breakpoint2": f"{event.chrom3}:{event.pos3}",
            "type": _arriba_type(event), "split_reads1": split, "split_reads2": 0,
            "discordant_mates": discordant, "confidence": "high",
            "gene_id1": genes.ensembl_id(event.gene5), "gene_id2": genes.ensembl_id(event.gene3),
            "direction1": direction[side5], "direction2": direction[side3]}


STAR_HEADER = ("FusionName JunctionReadCount SpanningFragCount est_J est_S SpliceType LeftGene "
               "LeftBreakpoint RightGene RightBreakpoint LargeAnchorSupport FFPM LeftBreakDinuc "
               "LeftBreakEntropy RightBreakDinuc RightBreakEntropy annots").split()


def _star_row(event: FusionEvent, genes: GeneTable) -> dict[str, object]:
    junction, spanning = _split(event.support)
    return {"FusionName": f"{event.gene5}--{event.gene3}", "JunctionReadCount": junction,
            "SpanningFragCount": spanning, "est_J": junction, "est_S": spanning,
            "SpliceType": "ONLY_REF_SPLICE",
            "LeftGene": f"{event.gene5}^{genes.ensembl_id(event.gene5)}",
            "LeftBreakpoint": f"{event.chrom5}:{event.pos5}:{event.strand5}",
            "RightGene": f"{event.gene3}^{genes.ensembl_id(event.gene3)}",
            "RightBreakpoint": f"{event.chrom3}:{event.pos3}:{event.strand3}",
            "LargeAnchorSupport": "YES_LDAS", "annots": "[]"}


FC_HEADER = (
    [fc_column(FC_GENE, g) for g in "12"]
    + "Fusion_description Counts_of_common_mapping_reads Spanning_pairs Spanning_unique_reads "
      "Longest_anchor_found Fusion_finding_method".split()
    + [fc_column(p, g) for p in (FC_POINT, FC_ID, "Exon_{}_id({}end_fusion_partner)") for g in "12"]
    + ["Fusion_sequence", "Predicted_effect"])


def _fc_point(event: FusionEvent, end: str) -> str:
    """FusionCatcher's chrom:pos:strand, chromosomes named without "chr"."""
    chrom, pos, strand = (getattr(event, name + end) for name in ("chrom", "pos", "strand"))
    return f"{norm_chrom(chrom)}:{pos}:{strand}"


def _fusioncatcher_row(event: FusionEvent, genes: GeneTable) -> dict[str, object]:
    unique, pairs = _split(event.support)
    row = {"Fusion_description": "known_fusion", "Counts_of_common_mapping_reads": 0, "Spanning_pairs": pairs,
           "Spanning_unique_reads": unique, "Fusion_finding_method": "BOWTIE"}
    for i, end in (("1", "5"), ("2", "3")):
        gene = getattr(event, "gene" + end)
        row[fc_column(FC_GENE, i)], row[fc_column(FC_ID, i)] = gene, genes.ensembl_id(gene)
        row[fc_column(FC_POINT, i)] = _fc_point(event, end)
    return row


TSV_HEADER = "gene5 gene3 chrom5 pos5 strand5 chrom3 pos3 strand3 support".split()
TEXT_WRITERS = {
    "arriba": (["#" + ARRIBA_HEADER[0]] + ARRIBA_HEADER[1:], ARRIBA_HEADER, _arriba_row),
    "star-fusion": (["#" + STAR_HEADER[0]] + STAR_HEADER[1:], STAR_HEADER, _star_row),
    "fusioncatcher": (FC_HEADER, FC_HEADER, _fusioncatcher_row),
    "tsv": (TSV_HEADER, TSV_HEADER, lambda event, genes: vars(event)),
}


def write_fusion_file(path: str | Path, fmt: str, events: Iterable[FusionEvent], build: str,
                      sample_name: str = "TUMOR", symbolic: bool = True) -> Path:
    """Write ``events`` as caller output of format ``fmt``.

    For ``vcf``, an intra-chromosomal event is one symbolic DEL/DUP/INV record (Manta-style) when
    ``symbolic``, else a BND mate pair like every inter-chromosomal event.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    path, events = Path(path), list(events)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        if fmt == "vcf":
            _write_vcf(handle, events, build, sample_name, symbolic)
            return path
        header, columns, make_row = TEXT_WRITERS[fmt]
        genes = GeneTable(build)
        handle.write("\t".join(header) + "\n")
        for event in events:
            row = make_row(event, genes)
            handle.write("\t".join(str(row.get(c, ".")) for c in columns) + "\n")
    return path
