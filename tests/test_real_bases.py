"""The synthetic locus keeps every real base known of the ROS1 locus, on both builds, and the
generator reports a published change that a real base rules out instead of inventing around it."""

from __future__ import annotations

import pysam
import pytest

from real_data import REAL_DATA, ROS1_VARIANTS, caller_output, requires_real_data
from ros1trace.reference.transcript import BUILDS, read_tsv, transcript
from ros1trace.synthetic.locus import FLANK, allowed_codons, facts, plus_window, window
from ros1trace.synthetic.published import Published, read_published
from ros1trace.synthetic.real_bases import RealBase, collect, merge, on_build, read_table

# Real caller VCFs with records inside ROS1 (GRCh37): a run on them needs their REF bases in the locus.
PCGR_VCFS = ("pcgr_examples/EMN-3661-G1_EMN-3661-T2_MuTect_SNVs.vcf.gz",
             "pcgr_examples/EMN-3661-G1_EMN-3661-T2.strelka.snv.vcf.gz")


def assert_locus_has(loci, build: str, pos: int, base: str, what: str) -> None:
    for target in BUILDS:  # one transcript sequence on both builds: a base known on one fixes both
        at = on_build(build, pos, target)
        got = loci[target].seq(at, at)
        assert got == base, f"{what}: {target} {at} is {got}, not {base}"


def test_every_base_of_the_bundled_table_is_the_locus_base_on_both_builds(loci):
    bases = read_table()
    assert {b.evidence for b in bases} >= {"ref_allele", "codon", "context", "vcf_ref"}
    for b in bases:
        assert_locus_has(loci, b.build, b.pos, b.base, f"{b.evidence} from {b.source}")


@requires_real_data
def test_every_real_base_of_the_partial_table_is_the_locus_base_on_both_builds(loci):
    rows = read_tsv(ROS1_VARIANTS / "ros1_real_bases_partial.tsv")
    assert rows
    for row in rows:
        what = f"partial table {row['evidence']}"
        assert_locus_has(loci, row["build"], int(row["pos"]), row["real_base"], what)


@requires_real_data
def test_the_bundled_table_is_what_the_real_records_say():
    collected = merge(collect(REAL_DATA, FLANK))
    bundled = [{"build": b.build, "pos": b.pos, "base": b.base, "evidence": b.evidence, "source": b.source}
               for b in read_table()]
    assert collected == bundled


@requires_real_data
@pytest.mark.parametrize("relative", PCGR_VCFS)
def test_real_caller_records_inside_ros1_have_the_locus_ref(loci, relative):
    tx = transcript("GRCh37")
    checked = 0
    with pysam.TabixFile(str(caller_output(relative))) as vcf:
        for line in vcf.fetch("6", tx.start - FLANK - 1, tx.end + FLANK):
            fields = line.split("\t")
            pos, ref = int(fields[1]), fields[3]
            assert loci["GRCh37"].seq(pos, pos + len(ref) - 1) == ref, line[:80]
            checked += 1
    assert checked > 0


def test_both_builds_carry_one_sequence(loci):
    (first37, last37), (first38, _) = window("GRCh37"), window("GRCh38")
    assert on_build("GRCh37", first37, "GRCh38") == first38
    assert loci["GRCh37"].seq(first37, last37) == loci["GRCh38"].seq(first38, first38 + last37 - first37)


def test_two_records_disagreeing_on_a_base_stop_the_table():
    # The same site named on each build (GRCh38 = GRCh37 - 321163) with different bases.
    a = RealBase("GRCh37", 117638347, "C", "ref_allele", "one/repo@0:a.maf")
    b = RealBase("GRCh38", on_build("GRCh37", 117638347, "GRCh38"), "T", "codon", "other/repo@0:b.maf")
    with pytest.raises(ValueError, match="disagree.*one/repo.*other/repo"):
        merge([a, b])


def test_a_published_change_that_a_real_base_rules_out_is_reported():
    # Codon 2098 is GTG in the table (c.6294 G); a record claiming c.6294 is C (plus G) cannot hold.
    pos = transcript("GRCh37").c_to_genome(6294)
    assert any(on_build(b.build, b.pos, "GRCh37") == pos for b in read_table())
    claim = Published("GRCh37", pos, "G", "A", "c.6294C>T", "p.V2098V", "made/up@0:claim.maf")
    with pytest.raises(ValueError, match=r"codon 2098 .*real base.*made/up"):
        allowed_codons(facts("GRCh37", [claim]))


@requires_real_data
@pytest.mark.parametrize("build", BUILDS)
def test_bundled_locus_is_what_the_generator_makes(loci, build):
    changes = read_published(ROS1_VARIANTS / "ros1_external_variants.tsv")
    first, last = window(build)
    assert plus_window(build, changes) == loci[build].seq(first, last)
