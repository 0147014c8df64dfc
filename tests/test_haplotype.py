"""Same-codon changes: merged into one codon change only when they are one haplotype."""

from __future__ import annotations

import pytest

from conftest import record, write_vcf
from ros1trace.reference.transcript import transcript
from ros1trace.synthetic.variants import SimSite, protein_change_alleles, write_bam
from ros1trace.variants.haplotype import equal_vaf_p, merge_same_codon
from ros1trace.variants.reads import Bam, ReadSettings
from ros1trace.variants.vcf import Allele, Region, VcfReader

TX = transcript("GRCh38")
ROS1 = [Region("chr6", TX.start, TX.end)]


def g2032k(locus):
    return protein_change_alleles("G2032K", TX, locus)


def read(path, locus):
    reader = VcfReader(path)
    return [a for a in reader.alleles(ROS1, locus) if isinstance(a, Allele)]


def annotate_merged(alleles, locus, annotator, bam=None):
    merged = merge_same_codon(alleles, TX, locus, bam)
    return [(annotator.annotate(m.allele.pos, m.allele.ref, m.allele.alt).protein_change, m) for m in merged]


def test_two_snvs_with_equal_vafs_become_g2032k(tmp_path, locus38, annotator38):
    (p1, r1, a1), (p2, r2, a2) = g2032k(locus38)
    path = write_vcf(tmp_path / "k.vcf", [record(min(p1, p2), *( (r2, a2) if p2 < p1 else (r1, a1)), "0/1:80,20:0.2:100"),
                                          record(max(p1, p2), *((r1, a1) if p2 < p1 else (r2, a2)), "0/1:82,18:0.18:100")])
    [(change, merged)] = annotate_merged(read(path, locus38), locus38, annotator38)
    assert change == "G2032K"
    assert merged.allele.ref == locus38.seq(min(p1, p2), max(p1, p2)) and len(merged.allele.alt) == 2
    assert merged.allele.counts.alt_reads == 18  # the component with fewer alt reads
    assert merged.evidence.startswith("vaf_equal_p=")


def test_two_snvs_with_different_vafs_stay_apart(tmp_path, locus38, annotator38):
    (p1, r1, a1), (p2, r2, a2) = sorted(g2032k(locus38))
    path = write_vcf(tmp_path / "k.vcf", [record(p1, r1, a1, "0/1:450,50:0.1:500"), record(p2, r2, a2, "0/1:250,250:0.5:500")])
    changes = sorted(c for c, _ in annotate_merged(read(path, locus38), locus38, annotator38))
    assert changes == ["G2032E", "G2032R"] or changes == sorted(["G2032R", "G2032E"])


@pytest.mark.parametrize("second_gt,expected", [("0|1", ["G2032K"]), ("1|0", ["G2032E", "G2032R"])])
def test_phased_genotypes_in_one_phase_set_decide_cis_or_trans(tmp_path, locus38, annotator38, second_gt, expected):
    (p1, r1, a1), (p2, r2, a2) = sorted(g2032k(locus38))
    path = write_vcf(tmp_path / "ph.vcf", [
        record(p1, r1, a1, "0|1:80,20:0.2:100:5", "GT:AD:AF:DP:PS"),
        record(p2, r2, a2, f"{second_gt}:80,20:0.2:100:5", "GT:AD:AF:DP:PS")])
    assert sorted(c for c, _ in annotate_merged(read(path, locus38), locus38, annotator38)) == expected


def test_mutect2_pgt_and_pid_phase_split_snvs(tmp_path, locus38, annotator38):
    (p1, r1, a1), (p2, r2, a2) = sorted(g2032k(locus38))
    pid = f"{p1}_{r1}_{a1}"
    path = write_vcf(tmp_path / "m2.vcf", [
        record(p1, r1, a1, f"0/1:450,50:0.1:500:0|1:{pid}", "GT:AD:AF:DP:PGT:PID"),
        record(p2, r2, a2, f"0/1:250,250:0.5:500:0|1:{pid}", "GT:AD:AF:DP:PGT:PID")])
    [(change, merged)] = annotate_merged(read(path, locus38), locus38, annotator38)
    assert change == "G2032K" and merged.evidence == "mutect2_pid"


@pytest.mark.parametrize("cis,expected", [(True, ["G2032K"]), (False, ["G2032E", "G2032R"])])
def test_reads_in_the_bam_decide_cis_or_trans(tmp_path, locus38, annotator38, cis, expected):
    changes = sorted(g2032k(locus38))
    if cis:
        sites = [SimSite(changes, 0.3, 200)]
    else:
        sites = [SimSite([changes[0]], 0.3, 200, seed=1), SimSite([changes[1]], 0.3, 200, seed=2)]
    bam_path = write_bam(tmp_path / "s.bam", sites, locus38, "GRCh38")
    (p1, r1, a1), (p2, r2, a2) = changes
    # Different VAFs in the VCF: without the BAM these would not merge.
    path = write_vcf(tmp_path / "b.vcf", [record(p1, r1, a1, "0/1:450,50:0.1:500"), record(p2, r2, a2, "0/1:250,250:0.5:500")])
    bam = Bam(str(bam_path), ReadSettings())
    result = sorted(c for c, _ in annotate_merged(read(path, locus38), locus38, annotator38, bam))
    assert result == expected


def test_bam_support_counts_alt_and_reference_reads(tmp_path, locus38):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    bam = Bam(str(write_bam(tmp_path / "r.bam", [SimSite([(pos, ref, alt)], 0.05, 400)], locus38, "GRCh38")), ReadSettings())
    support = bam.support("6", pos, ref, alt)  # contig spelling does not matter
    assert (support.alt_reads, support.depth) == (20, 400)


def test_equal_vaf_test_matches_the_two_proportion_z_test():
    from scipy.stats import norm

    class A:
        def __init__(self, alt, depth):
            from ros1trace.variants.dialects import Counts
            self.counts = Counts(alt, depth, alt / depth, "ad")

    p = equal_vaf_p(A(20, 100), A(35, 100))
    pooled = 55 / 200
    z = (0.35 - 0.2) / (pooled * (1 - pooled) * (2 / 100)) ** 0.5
    assert p == pytest.approx(2 * norm.sf(z))


def test_two_alt_alleles_of_one_base_are_never_merged(tmp_path, locus38, annotator38):
    """GT 1/2 at the codon's first base: G2032R and G2032* (equal VAFs), two haplotypes by definition."""
    [(pos, ref, _)] = protein_change_alleles("G2032R", TX, locus38)
    path = write_vcf(tmp_path / "tri.vcf", [record(pos, ref, "T,A", "1/2:60,20,20:0.2,0.2:100")])
    merged = annotate_merged(read(path, locus38), locus38, annotator38)
    assert sorted(change for change, _ in merged) == sorted(
        annotator38.annotate(pos, ref, alt).protein_change for alt in ("T", "A"))
    assert all(len(m.components) == 1 for _, m in merged)


def test_merged_change_takes_the_smallest_depth_fewest_alt_reads_and_lowest_vaf_of_its_parts(tmp_path, locus38):
    """Phased cis by Mutect2's PGT/PID: 300/2000 reads at one base, 310/3100 at the other."""
    (p1, r1, a1), (p2, r2, a2) = sorted(g2032k(locus38))
    pid = f"{p1}_{r1}_{a1}"
    path = write_vcf(tmp_path / "m2.vcf", [
        record(p1, r1, a1, f"0/1:1700,300:0.15:2000:0|1:{pid}", "GT:AD:AF:DP:PGT:PID"),
        record(p2, r2, a2, f"0/1:2790,310:0.1:3100:0|1:{pid}", "GT:AD:AF:DP:PGT:PID")])
    [merged] = merge_same_codon(read(path, locus38), TX, locus38)
    counts = merged.allele.counts
    assert (counts.alt_reads, counts.depth, counts.vaf) == (300, 2000, pytest.approx(0.1))


def test_with_a_bam_the_merged_change_counts_the_reads_carrying_every_changed_base(tmp_path, locus38):
    changes = sorted(g2032k(locus38))
    # 60 of 200 reads carry both bases; another 100 reads, 10 of them with the first base only
    sites = [SimSite(changes, 0.3, 200, seed=1), SimSite([changes[0]], 0.1, 100, seed=2)]
    bam_path = write_bam(tmp_path / "s.bam", sites, locus38, "GRCh38")
    (p1, r1, a1), (p2, r2, a2) = changes
    path = write_vcf(tmp_path / "b.vcf", [record(p1, r1, a1, "0/1:230,70:0.23:300"),
                                          record(p2, r2, a2, "0/1:240,60:0.2:300")])
    bam = Bam(str(bam_path), ReadSettings())
    haplotype = bam.haplotype("chr6", changes)
    assert (haplotype.alt_reads, haplotype.partial_reads, haplotype.depths) == (60, 10, (300, 300))
    [merged] = merge_same_codon(read(path, locus38), TX, locus38, bam)
    counts = merged.allele.counts
    assert (counts.alt_reads, counts.depth, counts.dialect) == (60, haplotype.depth, "bam_haplotype")
    assert counts.vaf == pytest.approx(60 / haplotype.depth)
