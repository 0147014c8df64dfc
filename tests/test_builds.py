"""The genome build a file states, and the stop when it is not genome_build."""

from __future__ import annotations

import pytest

from conftest import record, write_vcf
from ros1trace.errors import InputError
from ros1trace.reference.builds import check_header, declared_build
from ros1trace.reference.transcript import transcript
from ros1trace.synthetic.variants import protein_change_alleles


@pytest.mark.parametrize("line, build", [
    ("##contig=<ID=chr6,length=170805979>", "GRCh38"),
    ("##contig=<ID=6,length=171115067,assembly=b37>", "GRCh37"),
    ("##contig=<ID=chr6,length=170899992>", "NCBI36"),
    ("##reference=file:///refs/human_g1k_v37_decoy.fasta", "GRCh37"),
    ("##reference=HG19", "GRCh37"),
    ("##reference=ftp://x/GRCh37/special_requests/GRCh37-lite.fa.gz", "GRCh37"),
    ("##reference=file:///data/Homo_sapiens_assembly19.COST16011_region.fa", "GRCh37"),
    ("##reference=file:///ifs/hs37d5.fa", "GRCh37"),
    ("##reference=../Homo_sapiens_assembly38.fasta", "GRCh38"),
    ("##assembly=ftp://ftp.ensembl.org/pub/release-98/fasta/Homo_sapiens.GRCh38.dna.primary_assembly.fa", "GRCh38"),
    ("##contig=<ID=1,length=248956422,assembly=hg38>", "GRCh38"),
])
def test_the_header_line_that_names_a_build_is_found(line, build):
    assert declared_build(["##fileformat=VCFv4.2", line, "#CHROM\tPOS"]) == (build, 2, line)


@pytest.mark.parametrize("header", [
    ["##fileformat=VCFv4.2", "##reference=file:///home/x/tiny/q.fa"],
    ["##fileformat=VCFv4.2", "##contig=<ID=chr20,length=64444167>", "##source=b37like"],
    ["##fileformat=VCFv4.2", "##contig=<ID=chr6>"],
    ["##fileformat=VCFv4.2", "##reference=file:///data/demo20.fa"],
])
def test_a_header_that_names_no_build_is_silent(header):
    assert declared_build(header) is None


def test_chromosome_6_length_wins_over_a_reference_name():
    header = ["##fileformat=VCFv4.2", "##reference=/refs/hg19.fa", "##contig=<ID=chr6,length=170805979>"]
    assert declared_build(header)[0] == "GRCh38"


def test_a_header_of_the_other_build_stops_naming_file_line_and_both_builds():
    header = ["##fileformat=VCFv4.2", "##contig=<ID=6,length=171115067>", "#CHROM"]
    check_header("x.vcf", header, "GRCh37")  # agrees: no error
    with pytest.raises(InputError) as error:
        check_header("x.vcf", header, "GRCh38")
    message = str(error.value)
    assert message.startswith("x.vcf line 2: the header says GRCh37") and "genome_build is GRCh38" in message
    assert "\n" not in message


def _stage_rows(tmp_path, vcf, build, locus):
    from ros1trace.variants.annotate import Annotator
    from ros1trace.variants.samples import sample_variants

    tx = transcript(build)
    config = {"min_alt_reads": 3, "filter_policy": "pass_only", "accepted_filters": [], "phase_vaf_alpha": 0.01,
              "min_base_quality": 20, "min_mapping_quality": 20}
    sample = {"patient_id": "P1", "sample_id": "S1", "timepoint": "progression", "sample_type": "tissue",
              "vcf": str(vcf)}
    return sample_variants(sample, config, tx, locus, Annotator(tx, locus), "", tmp_path / "out.vcf.gz")


def test_a_grch38_vcf_run_as_grch37_stops_on_its_contig_line(tmp_path, loci):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", transcript("GRCh38"), loci["GRCh38"])
    vcf = write_vcf(tmp_path / "v.vcf", [record(pos, ref, alt)])  # the test header declares GRCh38's chr6
    with pytest.raises(InputError, match="the header says GRCh38 .* genome_build is GRCh37"):
        _stage_rows(tmp_path, vcf, "GRCh37", loci["GRCh37"])


def test_records_only_in_the_other_builds_ros1_locus_stop_without_a_build_header(tmp_path, loci):
    tx37 = transcript("GRCh37")
    [(pos, ref, alt)] = protein_change_alleles("G2032R", tx37, loci["GRCh37"])
    header_free = tmp_path / "v.vcf"
    header_free.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
                           + record(pos, ref, alt, chrom="6") + "\n")
    assert _stage_rows(tmp_path, header_free, "GRCh37", loci["GRCh37"])[0]["protein_change"] == "G2032R"
    with pytest.raises(InputError, match=r"lies in the GRCh37 ROS1 locus and no record in the GRCh38 one"):
        _stage_rows(tmp_path, header_free, "GRCh38", loci["GRCh38"])


def test_a_whole_genome_vcf_with_records_in_both_spans_is_not_called_the_other_build(tmp_path, loci):
    tx38 = transcript("GRCh38")
    [(pos, ref, alt)] = protein_change_alleles("G2032R", tx38, loci["GRCh38"])
    neighbour = transcript("GRCh37").start + 10  # on GRCh38 this is another gene's ground
    path = tmp_path / "wgs.vcf"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
                    + record(pos, ref, alt) + "\n" + record(neighbour, "A", "G") + "\n")
    rows = _stage_rows(tmp_path, path, "GRCh38", loci["GRCh38"])
    assert [r["protein_change"] for r in rows] == ["G2032R"]


def test_a_gvcf_block_spanning_the_other_builds_whole_locus_is_no_crash(tmp_path, loci):
    tx37 = transcript("GRCh37")
    block = "\t".join(["chr6", str(tx37.start - 5000), ".", "N", "<NON_REF>", ".", "PASS", f"END={tx37.end + 5000}",
                       "GT:DP", "0/0:30"])
    path = tmp_path / "g.vcf"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n" + block + "\n")
    with pytest.raises(InputError, match="lies in the GRCh37 ROS1 locus and no record in the GRCh38 one"):
        _stage_rows(tmp_path, path, "GRCh38", loci["GRCh38"])
