"""GFF3 export of ENST00000368508: structure, phases, contig naming, and bcftools csq reading it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ros1trace.reference.gff import cds_phase, main, write_gff3
from ros1trace.reference.transcript import BUILDS, protein, reverse_complement, transcript, translate
from ros1trace.synthetic.locus import SINGLE_SNV_CHANGES, bundled_fasta
from ros1trace.synthetic.variants import protein_change_alleles
from ros1trace.variants.annotate import Annotator

# Published G2032R c.6094G>A (resources/reference/known_mutation_coordinates.tsv).
G2032R = {"GRCh38": (117317184, "C", "T"), "GRCh37": (117638347, "C", "T")}


def parse(path):
    """(type, start, end, strand, phase, attributes dict) of every feature line."""
    rows = []
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        seqid, _source, kind, start, end, _score, strand, phase, attrs = line.split("\t")
        fields = dict(item.split("=", 1) for item in attrs.split(";"))
        rows.append((seqid, kind, int(start), int(end), strand, phase, fields))
    return rows


def lengths(rows, kind):
    return sum(end - start + 1 for _, k, start, end, *_ in rows if k == kind)


@pytest.mark.parametrize("build", BUILDS)
def test_features_add_up_to_the_transcript_model(tmp_path, build):
    tx = transcript(build)
    rows = parse(write_gff3(build, tmp_path / "ros1.gff3"))
    kinds = [k for _, k, *_ in rows]
    assert kinds[:2] == ["gene", "mRNA"]
    assert (kinds.count("exon"), kinds.count("CDS")) == (43, 43)
    assert lengths(rows, "CDS") == 7044 == tx.cds_length  # 2347 codons + the stop
    assert lengths(rows, "exon") == tx.tx_length == 7435
    assert (lengths(rows, "five_prime_UTR"), lengths(rows, "three_prime_UTR")) == (199, 192)
    gene, mrna = rows[0][6], rows[1][6]
    assert gene["ID"] == "gene:ENSG00000047936" and gene["Name"] == "ROS1"
    assert mrna["ID"] == "transcript:ENST00000368508" and mrna["Parent"] == gene["ID"]
    assert gene["biotype"] == mrna["biotype"] == "protein_coding"
    assert all(f["Parent"] == mrna["ID"] for _, k, *_, f in rows if k not in ("gene", "mRNA"))
    assert {(s, e) for _, k, s, e, *_ in rows if k == "exon"} == {(x.start, x.end) for x in tx.exons}
    assert all(strand == "-" and seqid == "chr6" for seqid, _, _, _, strand, *_ in rows)


@pytest.mark.parametrize("build", BUILDS)
def test_cds_phases_follow_the_minus_strand_reading_frame(tmp_path, build):
    rows = parse(write_gff3(build, tmp_path / "ros1.gff3"))
    parts = sorted(((s, e, int(p)) for _, k, s, e, _, p, _ in rows if k == "CDS"), reverse=True)
    done = 0  # coding bases in the parts 5' of this one (minus strand: higher coordinates first)
    for start, end, phase in parts:
        assert phase == (3 - done % 3) % 3, (start, end)
        done += end - start + 1
    assert [p for *_, p in parts][:5] == [0, 0, 0, 0, 2]  # exon 5 starts at c.290, codon position 2
    assert (cds_phase(1), cds_phase(290), cds_phase(780)) == (0, 2, 1)


@pytest.mark.parametrize("build", BUILDS)
def test_cds_lines_splice_to_p08922_on_the_synthetic_locus(tmp_path, build, loci):
    locus = loci[build]
    rows = parse(write_gff3(build, tmp_path / "ros1.gff3"))
    plus = "".join(locus.seq(s, e) for _, k, s, e, *_ in sorted(rows, key=lambda r: r[2]) if k == "CDS")
    assert translate(reverse_complement(plus)) == protein() + "*"


def test_contig_follows_the_fasta_or_the_option(tmp_path):
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">6\nACGT\n")
    (tmp_path / "ref.fa.fai").write_text("6\t4\t3\t4\t5\n")
    from_fasta = parse(write_gff3("GRCh38", tmp_path / "a.gff3", fasta=fasta))
    assert {r[0] for r in from_fasta} == {"6"}
    assert main(["--build", "GRCh37", "--out", str(tmp_path / "b.gff3"), "--contig", "6"]) == 0
    rows = parse(tmp_path / "b.gff3")
    assert {r[0] for r in rows} == {"6"}
    grch37 = transcript("GRCh37")
    assert rows[0][1:4] == ("gene", grch37.start, grch37.end)


BCFTOOLS = shutil.which("bcftools")
needs_bcftools = pytest.mark.skipif(BCFTOOLS is None,
                                    reason="bcftools is not on PATH (apt-get install bcftools)")


def bcsq(tmp_path, build, alleles):
    """BCSQ of each (pos, ref, alt), from bcftools csq with our GFF3 and the synthetic FASTA."""
    gff = write_gff3(build, tmp_path / f"{build}.gff3", fasta=bundled_fasta(build))
    vcf = tmp_path / f"{build}.vcf"
    body = "".join(f"chr6\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT\t0/1\n"
                   for pos, ref, alt in sorted(alleles))
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr6>\n"
                   '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n" + body)
    done = subprocess.run([BCFTOOLS, "csq", "--local-csq", "-f", str(bundled_fasta(build)), "-g", str(gff),
                           "-Ov", str(vcf)], capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines():
        if not line.startswith("#"):
            fields = line.split("\t")
            info = dict(i.split("=", 1) for i in fields[7].split(";") if "=" in i)
            found[(int(fields[1]), fields[3], fields[4])] = info.get("BCSQ", "")
    return found


@needs_bcftools
@pytest.mark.parametrize("build", BUILDS)
def test_bcftools_csq_reads_the_gff3_and_calls_g2032r(tmp_path, build):
    pos, ref, alt = G2032R[build]
    assert bcsq(tmp_path, build, [G2032R[build]])[G2032R[build]] == (
        f"missense|ROS1|ENST00000368508|protein_coding|-|2032G>2032R|{pos}{ref}>{alt}")


@needs_bcftools
def test_bcftools_csq_and_our_annotator_agree_on_every_simulated_missense(tmp_path, loci):
    tx, locus = transcript("GRCh38"), loci["GRCh38"]
    annotator = Annotator(tx, locus)
    alleles = {a: name for name in SINGLE_SNV_CHANGES for a in protein_change_alleles(name, tx, locus)}
    found = bcsq(tmp_path, "GRCh38", alleles)
    for (pos, ref, alt), name in alleles.items():
        # One entry per consequence, comma-separated (bcftools 1.16 lists splice_region on its own).
        entries = [e.split("|") for e in found[(pos, ref, alt)].split(",")]
        [(gene, strand, change)] = [(e[1], e[4], e[5]) for e in entries if e[0] == "missense"]
        residue = name[1:-1]
        assert (gene, strand, change) == ("ROS1", "-", f"{residue}{name[0]}>{residue}{name[-1]}")
        ours = annotator.annotate(pos, ref, alt)
        theirs = {"missense_variant"} | {"splice_region_variant" for e in entries if e[0] == "splice_region"}
        assert (ours.protein_change, set(ours.consequence.split("&"))) == (name, theirs)
