"""Every small-variant VCF that a real caller wrote (../shared/real-data/caller-outputs) through the
real workflow, and real records of each caller moved into ROS1 so their read counts are read.

Two kinds of case:
* **as written**: the file itself, one patient each, in one snakemake run per build; the expected
  rows were read off the file (most of these files have no ROS1 record: they must give no row
  and no error; the PCGR EMN-3661 files have records inside ROS1).
* **moved into ROS1**: one real record of the file, its FORMAT and sample columns byte for byte,
  placed at ROS1 G2032 (plus-strand REF C) so that the caller's counts reach variants.tsv; the
  expected alt reads, depth and VAF are the caller's own numbers, read as its documentation says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from real_data import caller_output, requires_real_data, run_cohort, run_text, table
from ros1trace.reference.transcript import transcript

pytestmark = requires_real_data


@dataclass(frozen=True)
class AsWritten:
    file: str
    build: str = "GRCh37"
    tumor_sample: str = ""
    rows: int = 0  # variants.tsv rows
    called: int = 0  # of which called (PASS under the default filter policy)
    off_target: str = ""  # patients.tsv off_target_alterations


AS_WRITTEN = [
    AsWritten("deepvariant/golden.postprocess_somatic_tumor_single_site_output.vcf"),
    AsWritten("freebayes/regression_tiny_chr22.vcf"),
    AsWritten("freebayes/regression_tiny_chr22_gvcf.vcf"),
    # An SV VCF given as small variants: its breakends and <DEL>s inside ROS1 (REF N) are skipped.
    AsWritten("lumpy/snpeff_tests_old_HDC134P-lumpy.snpeff.EML4-ALK_fusion.vcf"),
    AsWritten("merged_somatic/vcf2maf_test_merged.vcf", tumor_sample="TUMOR"),
    AsWritten("muse/vcf2maf_test_muse.vcf", tumor_sample="TUMOR"),
    AsWritten("mutect/vcf2maf_test_mutect.vcf", tumor_sample="TUMOR"),
    AsWritten("mutect2/gatk_mito_unfiltered.vcf", build="GRCh38"),
    # MuTect 1: 17 candidate sites inside ROS1, every one REJECTed by MuTect: listed, none called.
    AsWritten("pcgr_examples/EMN-3661-G1_EMN-3661-T2_MuTect_SNVs.vcf.gz", tumor_sample="EMN-3661-T2", rows=17),
    # Strelka 1: 5 sites inside ROS1, all filtered QSS_ref.
    AsWritten("pcgr_examples/EMN-3661-G1_EMN-3661-T2.strelka.snv.vcf.gz", tumor_sample="TUMOR", rows=5),
    # Sites-only PCGR output: every record is a call, and VEP's CSQ names the bypass-gene changes.
    AsWritten("pcgr_examples/tumor_sample.BRCA.pcgr.vcf.gz", off_target="PIK3CA p.His1047Arg;TP53 p.Val272Met"),
    AsWritten("pcgr_tcga/T001-COAD.grch38.vcf.gz", build="GRCh38"),
    AsWritten("pindel/vcf2maf_test_pindel.vcf", tumor_sample="TUMOR"),
    AsWritten("snpeff/examples_cancer.ann.vcf"),  # a log line and no ##fileformat before #CHROM
    AsWritten("snpeff/test_gatk.eff.vcf"),
    AsWritten("strelka/vcf2maf_test_strelka.vcf", tumor_sample="TUMOR"),
    AsWritten("strelka2/demo_mito_genome.vcf.gz"),
    AsWritten("strelka2/demo_somatic.indels.vcf.gz", tumor_sample="TUMOR"),
    AsWritten("strelka2/demo_somatic.snvs.vcf.gz", tumor_sample="TUMOR"),
    AsWritten("svaba/am.svaba.unfiltered.germline.indel.vcf", build="GRCh38",
              tumor_sample="/mnt/wgs/austin/bostongene/patient_AM_tumor.bam"),
    AsWritten("vardict/vardict.paired.vcf", tumor_sample="abc"),
    AsWritten("vardict/vardict.simple.vcf"),
    AsWritten("varscan2/vcf2maf_test_varscan.vcf", tumor_sample="TUMOR"),
    AsWritten("vep/bcftools_test_split-vep.vcf"),
]


@dataclass(frozen=True)
class Moved:
    """Data line ``line`` (1-based line number in the file) moved to ROS1 G2032."""

    file: str
    line: int
    alt_reads: int | None
    depth: int | None
    vaf: float | None
    dialect: str
    called: bool = True
    build: str = "GRCh37"
    tumor_sample: str = ""
    log: str = ""  # a warning the run must write


MOVED = [
    # VarScan2: RD 56 reference reads, AD 35 alt reads (one value), FREQ 38.46%, DP 91.
    Moved("varscan2/vcf2maf_test_varscan.vcf", 0, 35, 91, 0.3846, "varscan", tumor_sample="TUMOR"),
    # Pindel (TCGA): GT 0/0 for every call, SS=2 says somatic; AD 43,4 and DP 47.
    Moved("pindel/vcf2maf_test_pindel.vcf", 0, 4, 47, 4 / 47, "ad", tumor_sample="TUMOR"),
    # A VarScan record inside the Pindel file: AD 52 (alt alone), RD 166, DP 218, FREQ 23.85%.
    Moved("pindel/vcf2maf_test_pindel.vcf", 36, 52, 218, 0.2385, "varscan", tumor_sample="TUMOR"),
    # SomaticSniper inside the merged TCGA file: only DP4 = 2,2,1,1.
    Moved("merged_somatic/vcf2maf_test_merged.vcf", 79, 2, 6, 2 / 6, "dp4", tumor_sample="TUMOR"),
    # TCGA consensus: the tumour's AD and DP as ADT 21,8 and DPT 29.
    Moved("pcgr_tcga/T001-COAD.grch38.vcf.gz", 0, 8, 29, 8 / 29, "tcga_adt", build="GRCh38"),
    # DeepVariant: AD 0,72, DP 72, VAF 1.
    Moved("deepvariant/golden.postprocess_somatic_tumor_single_site_output.vcf", 0, 72, 72, 1.0, "ad"),
    # GATK3 HaplotypeCaller: DP 51 (after filters) below AD 0,71: depth and VAF from AD, warned once.
    Moved("snpeff/test_gatk.eff.vcf", 146, 71, 71, 1.0, "ad", log="FORMAT DP is below the reads in AD"),
    # VarDictJava: DP 87 below AD 85,5: depth 90; its own AF 0.0575.
    Moved("vardict/vardict.simple.vcf", 1110, 5, 90, 0.0575, "ad", log="FORMAT DP is below the reads in AD"),
    # MuSE: AD 9,2, DP 11, FILTER Tier1: listed, not called under pass_only.
    Moved("muse/vcf2maf_test_muse.vcf", 0, 2, 11, 2 / 11, "ad", called=False, tumor_sample="TUMOR"),
    # Strelka 1 SNV (C>T): tier-1 TU 57 of 57.
    Moved("strelka/vcf2maf_test_strelka.vcf", 0, 57, 57, 1.0, "strelka2_snv", tumor_sample="TUMOR"),
    # Strelka2 SNV (C>G): tier-1 GU 5 of CU 5 + GU 5.
    Moved("strelka2/demo_somatic.snvs.vcf.gz", 0, 5, 10, 0.5, "strelka2_snv", tumor_sample="TUMOR"),
    # Strelka2 indel: TIR 8, TAR 11.
    Moved("strelka2/demo_somatic.indels.vcf.gz", 0, 8, 19, 8 / 19, "strelka2_indel", tumor_sample="TUMOR"),
    # FreeBayes: AO 16, RO 25.
    Moved("freebayes/regression_tiny_chr22.vcf", 0, 16, 41, 16 / 41, "freebayes"),
    # Mutect2 (mitochondrial mode): AD 3,1556, AF 0.998, no FORMAT DP.
    Moved("mutect2/gatk_mito_unfiltered.vcf", 0, 1556, 1559, 0.998, "ad", build="GRCh38"),
    # Sites-only VEP output with INFO AF=1 (GATK's): a call with VAF 1 and no reads.
    Moved("vep/bcftools_test_split-vep.vcf", 0, None, None, 1.0, "info_af"),
    # Sites-only PCGR output: a call with nothing known about its reads.
    Moved("pcgr_examples/tumor_sample.BRCA.pcgr.vcf.gz", 0, None, None, None, "sites_only"),
]


def _lines(path: Path) -> list[str]:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="latin-1") as handle:
        return handle.read().splitlines()


def moved_vcf(case: Moved, folder: Path) -> Path:
    """The file's header and one data line (``line``, or the first when 0), moved to ROS1 G2032."""
    lines = _lines(caller_output(case.file))
    header = [line for line in lines if line.startswith("#")]
    data = [(number, line) for number, line in enumerate(lines, start=1) if line and not line.startswith("#")]
    number, line = data[0] if case.line == 0 else next(d for d in data if d[0] == case.line)
    fields = line.split("\t")
    tx = transcript(case.build)
    pos = tx.codon_positions(2032)[0]  # c.6094, plus-strand C (G on the coding strand)
    chrom = "chr6" if fields[0].startswith("chr") else "6"
    alt = fields[4] if len(fields[3]) == 1 and fields[3] == "C" and fields[4] in ("A", "G", "T") else "T"
    fields[:5] = [chrom, str(pos), fields[2], "C", alt]
    path = folder / f"{Path(case.file).name.split('.')[0]}_{number}.vcf"
    path.write_text("\n".join([*header, "\t".join(fields)]) + "\n", encoding="latin-1")
    return path


def _patient(index: int, prefix: str) -> str:
    return f"{prefix}{index:02d}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One snakemake run per build over every case of that build; (outdir, log text, samples) per build."""
    found = {}
    for build in ("GRCh37", "GRCh38"):
        folder = tmp_path_factory.mktemp(f"real_vcfs_{build}")
        samples = []
        for i, case in enumerate(c for c in AS_WRITTEN if c.build == build):
            samples.append({"patient_id": _patient(i, "W"), "sample_id": _patient(i, "W") + "-P",
                            "vcf": caller_output(case.file), "tumor_sample": case.tumor_sample, "_case": case})
        moved = folder / "moved"
        moved.mkdir()
        for i, case in enumerate(c for c in MOVED if c.build == build):
            samples.append({"patient_id": _patient(i, "M"), "sample_id": _patient(i, "M") + "-P",
                            "vcf": moved_vcf(case, moved), "tumor_sample": case.tumor_sample, "_case": case})
        result, outdir = run_cohort(folder, [{k: v for k, v in s.items() if k != "_case"} for s in samples], build)
        found[build] = (outdir, run_text(result, outdir), {s["_case"]: s for s in samples})
    return found


@pytest.mark.parametrize("case", AS_WRITTEN, ids=lambda c: c.file)
def test_a_real_vcf_as_written_gives_its_rows(runs, case):
    outdir, _, samples = runs[case.build]
    patient = samples[case]["patient_id"]
    rows = [r for r in table(outdir, "variants.tsv") if r["patient_id"] == patient]
    assert len(rows) == case.rows
    assert sum(r["called"] == "true" for r in rows) == case.called
    assert all(r["transcript"] == "NM_002944.2" for r in rows)
    [summary] = [r for r in table(outdir, "patients.tsv") if r["patient_id"] == patient]
    assert summary["off_target_alterations"] == case.off_target


@pytest.mark.parametrize("case", MOVED, ids=lambda c: f"{c.file}:{c.line}")
def test_a_real_record_moved_into_ros1_gives_the_callers_counts(runs, case):
    outdir, log, samples = runs[case.build]
    patient = samples[case]["patient_id"]
    [row] = [r for r in table(outdir, "variants.tsv") if r["patient_id"] == patient]
    assert row["protein_change"] == "G2032R"
    assert row["caller_dialect"] == case.dialect
    assert (int(row["alt_reads"]) if row["alt_reads"] else None) == case.alt_reads
    assert (int(row["depth"]) if row["depth"] else None) == case.depth
    assert (float(row["vaf"]) if row["vaf"] else None) == pytest.approx(case.vaf, abs=5e-4) \
        if case.vaf is not None else row["vaf"] == ""
    assert row["called"] == ("true" if case.called else "false")
    if case.log:
        assert case.log in log


def test_the_snpeff_example_without_fileformat_is_read_with_a_warning(runs):
    _, log, _ = runs["GRCh37"]
    assert "examples_cancer.ann.vcf: no ##fileformat line; read as a VCF from its #CHROM line; line(s) 1" in log


def test_a_vcf_without_any_column_header_stops_with_one_line(tmp_path):
    case = {"patient_id": "X1", "sample_id": "X1-P", "vcf": caller_output("snpeff/examples_test.ann.vcf")}
    result, outdir = run_cohort(tmp_path, [case], "GRCh37", check=False)
    assert result.returncode != 0
    text = run_text(result, outdir)
    assert "examples_test.ann.vcf: not a VCF (no ##fileformat=VCF first line and no #CHROM header line" in text
    assert "Traceback" not in text
    assert not (outdir / "variants.tsv").exists()


@pytest.mark.parametrize("file, build, said", [
    ("mutect/vcf2maf_test_mutect.vcf", "GRCh38", "the header says GRCh37"),  # ##contig 6 length
    ("pindel/vcf2maf_test_pindel.vcf", "GRCh38", "the header says GRCh37 (##reference=HG19)"),
    ("svaba/am.svaba.unfiltered.germline.indel.vcf", "GRCh37", "the header says GRCh38"),
])
def test_a_real_vcf_run_on_the_other_build_stops_with_one_line(tmp_path, file, build, said):
    case = {"patient_id": "B1", "sample_id": "B1-P", "vcf": caller_output(file), "tumor_sample": "TUMOR"}
    if "svaba" in file:
        case["tumor_sample"] = "/mnt/wgs/austin/bostongene/patient_AM_tumor.bam"
    result, outdir = run_cohort(tmp_path, [case], build, check=False)
    text = run_text(result, outdir)
    assert result.returncode != 0 and said in text and f"genome_build is {build}" in text
    assert "Traceback" not in text and not (outdir / "variants.tsv").exists()
