"""The bundled ROS1 transcript as a GFF3 that ``bcftools csq`` reads: a reference annotator to compare with.

``python -m ros1trace.reference.gff --build GRCh38 --out ros1.gff3 [--contig 6 | --fasta ref.fa.gz]``

What is written (everything derived from ``resources/reference/ros1_transcript_<build>.tsv``
through ``reference.Transcript``; no coordinate is typed in here):

* one ``gene`` (ENSG00000047936, ROS1), one ``mRNA`` (ENST00000368508 = NM_002944.2, P08922
  numbering), 43 ``exon`` lines, the ``CDS`` parts of the coding exons, a ``five_prime_UTR`` and a
  ``three_prime_UTR``.  The gene spans the transcript: the bundled table knows no other ROS1
  transcript, so the gene's real extent over all isoforms is not claimed.

Format rules (GFF3 1.26, and the Ensembl layout that ``bcftools csq`` requires):

* Columns: seqid, source, type, start, end, score, strand, phase, attributes; 1-based, closed
  coordinates, ``start <= end`` on either strand; ``.`` for an empty column.
* csq finds the transcript of every exon/CDS/UTR line through ``Parent=transcript:<id>``, the gene
  through the transcript's ``Parent=gene:<id>``, and keeps protein-coding transcripts through
  ``biotype=protein_coding`` (on the gene and the transcript).  IDs carry the ``gene:`` and
  ``transcript:`` prefixes Ensembl uses; the gene's ``Name`` becomes the gene column of BCSQ.
  csq takes as transcript the line whose ID starts with ``transcript:``; Ensembl types it ``mRNA``
  for protein-coding transcripts, as here (checked with bcftools 1.16).
* The CDS *includes* the stop codon, as in Ensembl's GFF3 (its GTF moves the stop to a separate
  ``stop_codon`` line): the CDS parts add up to c.1..c.7044 = 2347 codons + the stop.
* Phase (column 8 of CDS lines only) is the number of bases to skip from the 5' end *of the
  transcript* to reach the first base of a codon.  ROS1 is on the minus strand, so a part's 5' end
  is its ``end`` coordinate; a part that starts at c.N has phase ``(3 - (N - 1) % 3) % 3``.  That
  is not the table's ``cds_start_phase`` column, which is the codon position ``(N - 1) % 3``: a part
  starting at the second base of a codon has frame 1 but phase 2.  csq checks phase against the
  running CDS length and refuses a transcript whose phases disagree (unless ``--force``).
* The contig is named the way the FASTA names it (``chr6`` or ``6``): give ``contig`` or a FASTA
  whose ``.fai`` is read for the spelling.  csq 1.16 does not translate between the two spellings
  (later releases have ``--unify-chr-names``).
* Lines are ordered gene, mRNA, then the children in genomic order; ``###`` closes the gene.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .genome import resolve_contig
from .transcript import BUILDS, ENSEMBL_TRANSCRIPT, GENE, TRANSCRIPT, Transcript, transcript

ENSEMBL_GENE = "ENSG00000047936"
SOURCE = "ros1trace"


def cds_phase(first_c: int) -> int:
    """GFF3 phase of a CDS part whose 5'-most base (on the transcript) is c.``first_c``."""
    return (3 - (first_c - 1) % 3) % 3


def contig_from_fasta(fasta: Path, chrom: str) -> str:
    """The spelling of ``chrom`` (``chr6``/``6``) used by the faidx index of ``fasta``."""
    fai = Path(f"{fasta}.fai")
    if not fai.exists():
        raise FileNotFoundError(f"{fai}: no faidx index; run 'samtools faidx {fasta}'")
    names = [line.split("\t", 1)[0] for line in fai.read_text().splitlines() if line]
    found = resolve_contig(chrom, names)
    if found is None:
        raise ValueError(f"{fasta}: no contig named {chrom} (or its other spelling)")
    return found


def gff3_features(tx: Transcript, contig: str | None = None) -> list[tuple]:
    """(seqid, source, type, start, end, score, strand, phase, attributes) rows, in file order."""
    seqid, strand = contig or tx.chrom, tx.strand
    tid, gid = f"transcript:{ENSEMBL_TRANSCRIPT}", f"gene:{ENSEMBL_GENE}"
    child = f"Parent={tid}"
    rows = [
        (seqid, SOURCE, "gene", tx.start, tx.end, ".", strand, ".",
         f"ID={gid};Name={GENE};biotype=protein_coding;gene_id={ENSEMBL_GENE}"),
        (seqid, SOURCE, "mRNA", tx.start, tx.end, ".", strand, ".",
         (f"ID={tid};Parent={gid};Name={GENE}-{TRANSCRIPT};biotype=protein_coding;"
          f"transcript_id={ENSEMBL_TRANSCRIPT};Note={TRANSCRIPT} P08922 numbering")),
    ]
    # c.1 and c.7044 in genomic terms (minus strand: the CDS runs from high to low coordinates).
    cds_low, cds_high = sorted((tx.cds_genomic_first, tx.cds_genomic_last))
    children = []
    for exon in tx.exons:
        children.append(("exon", exon.start, exon.end, ".", f"{child};exon_number={exon.number}"))
        low, high = max(exon.start, cds_low), min(exon.end, cds_high)
        if low <= high:
            five_prime_end = high if strand == "-" else low
            first_c = tx.c_of(five_prime_end)
            children.append(("CDS", low, high, str(cds_phase(first_c)), child))
        below_cds = (exon.start, min(exon.end, cds_low - 1))
        above_cds = (max(exon.start, cds_high + 1), exon.end)
        for utr_low, utr_high in (below_cds, above_cds):
            if utr_low <= utr_high:
                upstream_of_cds = (utr_low > cds_high) == (strand == "-")
                children.append(("five_prime_UTR" if upstream_of_cds else "three_prime_UTR",
                                 utr_low, utr_high, ".", child))
    order = {"exon": 0, "five_prime_UTR": 1, "CDS": 2, "three_prime_UTR": 3}
    children.sort(key=lambda c: (c[1], order[c[0]]))
    rows += [(seqid, SOURCE, kind, start, end, ".", strand, phase, attrs)
             for kind, start, end, phase, attrs in children]
    return rows


def write_gff3(build: str, path: Path | str, contig: str | None = None,
               fasta: Path | str | None = None) -> Path:
    """Write the GFF3 of ENST00000368508 on ``build``.

    The contig is named ``contig``, else as ``fasta``'s .fai names chromosome 6, else as the exon
    table does (``chr6``).
    """
    tx = transcript(build)
    if contig is None and fasta is not None:
        contig = contig_from_fasta(Path(fasta), tx.chrom)
    seqid = contig or tx.chrom
    about = (f"# {GENE} {ENSEMBL_TRANSCRIPT} ({TRANSCRIPT}, P08922 numbering) on {seqid}, written by "
             f"ros1trace.reference.gff from resources/reference/ros1_transcript_{build}.tsv")
    lines = ["##gff-version 3", f"#!genome-build {build}", about]
    lines += ["\t".join(str(field) for field in row) for row in gff3_features(tx, seqid)]
    lines.append("###")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ros1trace.reference.gff", description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="GRCh38", choices=BUILDS)
    parser.add_argument("--out", required=True, help="GFF3 file to write")
    names = parser.add_mutually_exclusive_group()
    names.add_argument("--contig", help="contig name to write (default: as the exon table, chr6)")
    names.add_argument("--fasta", help="take the contig spelling (chr6 or 6) from this FASTA's .fai")
    args = parser.parse_args(argv)
    print(write_gff3(args.build, args.out, args.contig, args.fasta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
