"""A fusion file of the other genome build stops the fusions stage with one line naming both builds."""

from __future__ import annotations

import re

import pytest

from ros1trace.errors import InputError
from ros1trace.synthetic.fusion_files import write_fusion_file
from test_fusion_stage import event, run_stage, sample

OTHER = {"GRCh38": "GRCh37", "GRCh37": "GRCh38"}


def stage_error(tmp_path, path, build) -> str:
    with pytest.raises(InputError) as caught:
        run_stage(tmp_path, [sample("P1", "S1", "baseline", path)], build)
    assert not (tmp_path / "out" / "fusions.tsv").exists()
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def vcf_of(tmp_path, made_on, edit=lambda text: text):
    path = write_fusion_file(tmp_path / "sv.vcf", "vcf", [event("CD74", "ROS1", made_on)], made_on)
    path.write_text(edit(path.read_text()))
    return path


def header_line_of(path, start) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("made_on", ["GRCh37", "GRCh38"])
def test_vcf_whose_chr6_length_is_the_other_builds_stops_at_that_header_line(tmp_path, made_on):
    length = {"GRCh37": 171115067, "GRCh38": 170805979}[made_on]
    path = vcf_of(tmp_path, made_on, lambda t: t.replace("##reference=", "##ref=")
                  .replace("##contig=<ID=chr6>", f"##contig=<ID=chr6,length={length}>"))
    message = stage_error(tmp_path, path, OTHER[made_on])
    line = header_line_of(path, "##contig=<ID=chr6")
    assert re.search(rf"sv.vcf line {line}: the header says {made_on} \(##contig=<ID=chr6,length={length}>\) "
                     rf"but genome_build is {OTHER[made_on]}; set genome_build: {made_on}", message)


def test_vcf_whose_reference_names_the_other_build_stops_at_that_header_line(tmp_path):
    path = vcf_of(tmp_path, "GRCh38", lambda t: t.replace("##reference=GRCh38",
                                                        "##reference=file:///refs/Homo_sapiens_assembly38.fasta"))
    assert re.search(r"line 3: the header says GRCh38 \(##reference=file:///refs/Homo_sapiens_assembly38.fasta\) "
                     "but genome_build is GRCh37", stage_error(tmp_path, path, "GRCh37"))


@pytest.mark.parametrize("fmt", ["star-fusion", "arriba", "fusioncatcher", "tsv"])
def test_text_file_whose_ros1_breakpoints_lie_in_the_other_builds_locus_stops(tmp_path, fmt):
    made = event("CD74", "ROS1", "GRCh37")
    path = write_fusion_file(tmp_path / f"calls.{fmt}", fmt, [made], "GRCh37")
    message = stage_error(tmp_path, path, "GRCh38")
    assert re.search(rf"calls.{fmt}: line 2, ROS1 breakpoint (chr)?6:{made.pos3}, lies in the GRCh37 ROS1 locus and "
                     r"no record in the GRCh38 one; .* set genome_build: GRCh37", message)


def test_vcf_silent_on_its_build_is_judged_by_where_its_ros1_breakends_lie(tmp_path):
    path = vcf_of(tmp_path, "GRCh38", lambda t: t.replace("##reference=GRCh38\n", ""))
    assert "lies in the GRCh38 ROS1 locus and no record in the GRCh37 one" in stage_error(tmp_path, path, "GRCh37")
    assert len(run_stage(tmp_path, [sample("P1", "S1", "baseline", path)], "GRCh38").read_text().splitlines()) == 2


def test_vcf_whose_header_names_this_build_is_not_judged_by_breaks_near_the_other_locus(tmp_path):
    # a genome-wide GRCh38 SV VCF may have an unrelated break where GRCh37 has ROS1 (NUS1 on GRCh38)
    path = vcf_of(tmp_path, "GRCh38", lambda t: re.sub(r"(\d{9})", lambda m: str(int(m[1]) + 321163)
                                                       if 117_280_000 < int(m[1]) < 117_430_000 else m[1], t))
    table = run_stage(tmp_path, [sample("P1", "S1", "baseline", path)], "GRCh38")
    assert len(table.read_text().splitlines()) == 1  # header only: no ROS1 fusion, no error


def test_a_file_with_ros1_in_both_loci_is_not_called_the_other_build(tmp_path):
    path = write_fusion_file(tmp_path / "calls.tsv", "tsv", [event("CD74", "ROS1", "GRCh38"),
                                                             event("CD74", "ROS1", "GRCh37")], "GRCh38")
    with pytest.raises(InputError, match=r"line 3: the ROS1 breakpoint .* is outside ROS1 on GRCh38"):
        run_stage(tmp_path, [sample("P1", "S1", "baseline", path)], "GRCh38")
