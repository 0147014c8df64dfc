"""Every fusion file that a real tool wrote (../shared/real-data/caller-outputs) through the real
workflow: one patient per file, one snakemake run per build, and the expected rows read off the
file.  Most files hold no ROS1 event: they must give no fusions row and no error.  Files of the
other build must stop with one line (one snakemake run; the rest through the stage, in-process).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pytest

from real_data import caller_output, requires_real_data, run_cohort, table
from ros1trace.errors import InputError
from ros1trace.fusions.formats import read_calls
from ros1trace.fusions.genes import GeneTable
from ros1trace.fusions.samples import sample_rows

pytestmark = requires_real_data


@dataclass(frozen=True, order=True)
class Row:
    """A fusions.tsv row: genes, class, breakpoints, support, and where it came from."""

    gene5: str
    gene3: str
    fusion_class: str
    ros1_breakpoint: str
    partner_breakpoint: str
    support: int
    source: str  # source_record, after the file name


@dataclass(frozen=True)
class Case:
    file: str
    build: str = "GRCh37"
    rows: tuple[Row, ...] = ()
    partner: str = ""  # patients.tsv fusion_partner
    group: str = "none"  # partner_group
    multiple: bool = False
    log: str = ""  # the one warning the run writes for this file


CASES = [
    # Arriba, 2020 and 2021 formats: one BCR-ABL1 row each.
    Case("arriba/test_fusions.e437c63_2020.tsv"),
    Case("arriba/test_fusions.tsv"),
    # ctat-LR-fusion (SeraCare control, Iso-Seq): SLC34A2-ROS1 and CD74-ROS1 at ROS1 exon 34, support
    # from num_LR; SLC34A2 has more long reads, so it is the primary partner.
    Case("ctat-lr-fusion/SeraCareFusions_Isoseq.ctat-LR-fusion.v0.10.0.fusion_predictions.tsv", "GRCh38",
         (Row("CD74", "ROS1", "canonical", "exon 34", "exon 6", 51, "line 6"),
          Row("SLC34A2", "ROS1", "canonical", "exon 34", "exon 4", 60, "line 3")), "SLC34A2", "non-CD74", True),
    Case("ctat-lr-fusion/SeraCarev4Fusion.IsoSeq.ctat-LR-fusion.fusion_predictions.tsv.gz", "GRCh38",
         (Row("CD74", "ROS1", "canonical", "exon 34", "exon 6", 50, "line 6"),
          Row("SLC34A2", "ROS1", "canonical", "exon 34", "exon 4", 59, "line 3")), "SLC34A2", "non-CD74", True),
    # DELLY: deletions on chr16 (no contig lines); TRA/DEL/INV elsewhere than chr6.
    Case("delly/v0.6.2_example_DEL.vcf"),
    Case("delly/vcf2maf_test_delly.vcf"),
    # FusionCatcher tables: GOPC-ROS1 twice (ROS1 exon 35 and the first base of exon 36, the RNA
    # acceptor: kinase kept) and CD74-ROS1; support = Spanning_pairs + Spanning_unique_reads.
    Case("fusioncatcher/chimeraviz_833ke_v0.99.3e_final-list-candidate-fusion-genes.txt"),
    Case("fusioncatcher/test_final-list_candidate-fusion-genes.txt", "GRCh38",
         (Row("CD74", "ROS1", "canonical", "exon 34", "exon 6", 3 + 7, "line 24"),
          Row("GOPC", "ROS1", "canonical", "exon 35", "exon 7", 73 + 22, "line 5"),
          Row("GOPC", "ROS1", "canonical", "exon 36", "exon 7", 73 + 2, "line 6")), "GOPC", "non-CD74", True),
    # FusionCatcher's VCF of the same run: each BND pair's brackets contradict each other; INFO
    # GENE5/GENE3 orient it; support = SR + SP (SP: "Spanning pairs").
    Case("fusioncatcher/test_final-list_candidate-fusion-genes.vcf", "GRCh38",
         (Row("CD74", "ROS1", "canonical", "exon 34", "exon 6", 7 + 6, "lines 56+57 (ID CD74--ROS1__5/CD74--ROS1__3)"),
          Row("GOPC", "ROS1", "canonical", "exon 35", "exon 7", 20 + 73,
              "lines 32+33 (ID GOPC--ROS1__5__3/GOPC--ROS1__3__3)"),
          Row("GOPC", "ROS1", "canonical", "exon 36", "exon 7", 2 + 73,
              "lines 34+35 (ID GOPC--ROS1__5__4/GOPC--ROS1__3__4)")), "GOPC", "non-CD74", True),
    # FusionInspector: ex1 leaves off the empty TrinityGG column on every row.
    Case("fusioninspector/ex1.finspector.fusion_predictions.final.abridged.FFPM"),
    Case("fusioninspector/ex2.finspector.fusion_predictions.final.abridged.FFPM"),
    # GRIDSS/PURPLE: six PON-filtered breakends whose mates PURPLE removed; single breakends.
    Case("gridss/COLO829v003T.purple.sv.vcf.gz",
         log="9 single breakends (ALT like G. or .G) that name no partner skipped; the first: line 205 "
             "(ID gridss207b_4627b)"),
    Case("gridss/DO52605T.purple.sv.vcf",
         log="67 single breakends (ALT like G. or .G) that name no partner skipped; the first: line 212 "
             "(ID gridss138f_6643b)"),
    Case("gridss/colo829_1.gridss.somatic.vcf",
         log="6 single breakends (ALT like G. or .G) that name no partner skipped; the first: line 172 "
             "(ID gridss51b_73912b)"),
    Case("gridss/gridss294.colo829.somatic.vcf",
         log="7 single breakends (ALT like G. or .G) that name no partner skipped; the first: line 185 "
             "(ID gridss51b_73915b)"),
    # LUMPY: a BND pair and nine <DEL>s with both ends inside ROS1 introns: not fusions.
    Case("lumpy/snpeff_tests_old_HDC134P-lumpy.snpeff.EML4-ALK_fusion.vcf",
         log="10 calls with both breakends in ROS1 (intragenic rearrangements, not fusions) skipped; "
             "the first: lines 97+98 (ID 32_2/32_1)"),
    Case("manta/somaticSV.vcf.gz"),  # chr8-chr11 breakends of HCC1954
    Case("star-fusion/BT474_star-fusion.fusion_candidates.final.abridged.FFPM"),
    Case("star-fusion/chimeraviz_star-fusion.fusion_predictions.abridged.annotated.coding_effect.tsv"),
    # STAR-Fusion fuco: CD74-ROS1 (1740 junction reads + 661 spanning fragments), and the same
    # junction again on line 10 named CD74--GOPC by STAR-Fusion's reference: one row, both lines.
    Case("star-fusion/fuco_star-fusion.fusion_candidates.final.abridged", "GRCh37",
         (Row("CD74", "ROS1", "canonical", "exon 34", "exon 6", 1740 + 661, "line 10; "),), "CD74", "CD74"),
    Case("star-fusion/kickstart_star-fusion.fusion_candidates.final"),
    Case("star-fusion/kickstart_star-fusion.fusion_candidates.final.abridged"),
    Case("star-fusion/saved_star-fusion.fusion_candidates.final.abridged.FFPM"),
    # SvABA: a header without records; the tumour column is the ..._tumor.bam one.
    Case("svaba/am.svaba.germline.sv.vcf", "GRCh38"),
]


def _patient(case: Case) -> str:
    return f"F{CASES.index(case):02d}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One snakemake run per build over every file of that build; (outdir, log text) per build."""
    found = {}
    for build in ("GRCh37", "GRCh38"):
        folder = tmp_path_factory.mktemp(f"real_fusions_{build}")
        samples = [{"patient_id": _patient(c), "sample_id": _patient(c) + "-P", "fusions": caller_output(c.file),
                    "tumor_sample": "/mnt/wgs/austin/bostongene/patient_AM_tumor.bam" if "svaba" in c.file else ""}
                   for c in CASES if c.build == build]
        result, outdir = run_cohort(folder, samples, build)
        logs = "\n".join(p.read_text() for p in sorted((outdir / "logs" / "fusions").rglob("*.log")))
        found[build] = (outdir, logs)
    return found


def _row(row: dict) -> Row:
    return Row(row["gene5"], row["gene3"], row["fusion_class"], row["ros1_breakpoint"], row["partner_breakpoint"],
               int(row["support"]), row["source_record"].split(" ", 1)[1])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_a_real_fusion_file_gives_the_events_it_holds(runs, case):
    outdir, log = runs[case.build]
    name = caller_output(case.file).name
    rows = [r for r in table(outdir, "fusions.tsv") if r["patient_id"] == _patient(case)]
    assert all(r["source_record"].startswith(name) for r in rows)
    got = sorted(_row(r) for r in rows)
    assert [(g.gene5, g.gene3, g.fusion_class, g.ros1_breakpoint, g.partner_breakpoint, g.support) for g in got] == [
        (e.gene5, e.gene3, e.fusion_class, e.ros1_breakpoint, e.partner_breakpoint, e.support) for e in case.rows]
    assert all(g.source.startswith(e.source) for g, e in zip(got, case.rows))
    [patient] = [r for r in table(outdir, "patients.tsv") if r["patient_id"] == _patient(case)]
    assert (patient["fusion_partner"], patient["partner_group"], patient["multiple_fusions"],
            patient["five_prime_ros1_partners"]) == (case.partner, case.group, str(case.multiple).lower(), "")
    warnings = [line.split(f"{name}: ", 1)[1] for line in log.splitlines() if " WARNING " in line and name in line]
    assert warnings == ([case.log] if case.log else [])  # one summary line per file, never one per record


def test_fuco_names_both_star_fusion_lines_of_the_cd74_ros1_junction(runs):
    outdir, _ = runs["GRCh37"]
    [row] = [r for r in table(outdir, "fusions.tsv") if "fuco" in r["source_record"]]
    assert row["source_record"] == ("fuco_star-fusion.fusion_candidates.final.abridged line 10; "
                                    "fuco_star-fusion.fusion_candidates.final.abridged line 9")


def test_gridss_breakends_whose_mates_purple_removed_are_skipped_with_one_warning(caplog):
    path = caller_output("gridss/COLO829v003T.purple.sv.vcf.gz")
    with caplog.at_level(logging.WARNING):
        read_calls(path, filter_policy="all")
    unpaired = [r.getMessage() for r in caplog.records if "MATEID is not in the file" in r.getMessage()]
    assert unpaired == [f"{path}: 6 breakends whose MATEID is not in the file (filtered record by record) skipped; "
                        "the first: line 201 (ID gridss184fb_1050o, MATEID gridss184fb_1050h)"]


# -- the other build --------------------------------------------------------------------------
WRONG_BUILD = [
    # (file, genome_build given, the error's words after the file name)
    ("fusioncatcher/test_final-list_candidate-fusion-genes.txt", "GRCh37",
     r"line 5, ROS1 breakpoint 6:117321394, lies in the GRCh38 ROS1 locus and no record in the GRCh37 one"),
    ("ctat-lr-fusion/SeraCareFusions_Isoseq.ctat-LR-fusion.v0.10.0.fusion_predictions.tsv", "GRCh37",
     r"line 3, ROS1 breakpoint chr6:117324415, lies in the GRCh38 ROS1 locus"),
    ("star-fusion/fuco_star-fusion.fusion_candidates.final.abridged", "GRCh38",
     r"line 9, ROS1 breakpoint chr6:117645578, lies in the GRCh37 ROS1 locus and no record in the GRCh38 one"),
    # LUMPY's header names no build: its ROS1 breakends do
    ("lumpy/snpeff_tests_old_HDC134P-lumpy.snpeff.EML4-ALK_fusion.vcf", "GRCh38",
     r"lines 97\+98 \(ID 32_2/32_1\), ROS1 breakpoint chr6:117641337, lies in the GRCh37 ROS1 locus"),
    ("gridss/COLO829v003T.purple.sv.vcf.gz", "GRCh38",
     r"line 153: the header says GRCh37 \(##contig=<ID=6,length=171115067>\) but genome_build is GRCh38"),
    ("delly/vcf2maf_test_delly.vcf", "GRCh38", r"line 45: the header says GRCh37 \(##contig=<ID=6,length=171115067>\)"),
    ("manta/somaticSV.vcf.gz", "GRCh38",
     r"line 4: the header says GRCh37 \(##reference=file:///.*Homo_sapiens_assembly19"),
    ("svaba/am.svaba.germline.sv.vcf", "GRCh37",
     r"line 10: the header says GRCh38 \(##contig=<ID=chr6,length=170805979>\) but genome_build is GRCh37"),
]


@pytest.mark.parametrize("file,build,said", WRONG_BUILD, ids=[w[0] for w in WRONG_BUILD])
def test_a_real_fusion_file_read_as_the_other_build_stops_the_stage_with_one_line(file, build, said):
    path = caller_output(file)
    sample = {"patient_id": "B1", "sample_id": "B1-P", "timepoint": "progression", "fusions": str(path)}
    with pytest.raises(InputError) as caught:
        sample_rows(sample, GeneTable(build), {})
    message = str(caught.value)
    assert "\n" not in message and re.match(rf"{re.escape(str(path))}:? {said}", message), message
    assert f"set genome_build: {'GRCh38' if build == 'GRCh37' else 'GRCh37'}" in message


def test_fusioncatchers_grch38_vcf_run_as_grch37_stops_the_workflow_with_one_line(tmp_path):
    case = {"patient_id": "B1", "sample_id": "B1-P",
            "fusions": caller_output("fusioncatcher/test_final-list_candidate-fusion-genes.vcf")}
    result, outdir = run_cohort(tmp_path, [case], "GRCh37", check=False)
    assert result.returncode != 0
    text = result.stdout + result.stderr
    # snakemake prints the job's log after its stderr: the one line is there twice
    errors = {line for line in text.splitlines() if " ERROR ros1trace.fusions" in line}
    assert len(errors) == 1 and re.search(
        r"test_final-list_candidate-fusion-genes.vcf line 4: the header says GRCh38 \(##reference=ftp://.*"
        r"Homo_sapiens.GRCh38.dna.primary_assembly.fa\) but genome_build is GRCh37; set genome_build: GRCh38",
        errors.pop())
    assert "Traceback" not in text
    assert not (outdir / "fusions.tsv").exists() and not (outdir / "work" / "b0001" / "fusions.tsv").exists()
