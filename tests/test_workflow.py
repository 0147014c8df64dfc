"""The workflow end to end on the bundled example (and on generated cohorts): real snakemake runs."""

from __future__ import annotations

import filecmp
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_snakemake
from ros1trace import columns
from ros1trace.tsv import read_tsv

CONTRACT_COLUMNS = {
    "variants.tsv": columns.VARIANTS[:21], "fusions.tsv": columns.FUSIONS[:10],
    "emergence.tsv": columns.EMERGENCE[:9], "patients.tsv": columns.PATIENTS[:10],
}
TRUTH_COLUMNS = ["patient_id", "progression_site", "fusion_partner", "partner_group", "multiple_fusions",
                 "five_prime_ros1_partners", "emergent_ros1_mutations", "ros1_mutation_status", "resistance_mechanism"]
REPRODUCIBLE = ("variants.tsv", "fusions.tsv", "emergence.tsv", "patients.tsv", "variants.maf")


def outputs(outdir: Path) -> list[Path]:
    """Every result file the contract says must be byte-identical on rerun."""
    files = [outdir / name for name in REPRODUCIBLE]
    files += sorted((outdir / "stats").glob("*.tsv")) + sorted((outdir / "annotated_vcf").rglob("*.vcf.gz"))
    return files


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("example") / "results"
    result = run_snakemake("--config", f"outdir={outdir}")
    return outdir, result


def test_example_run_finds_what_the_truth_table_says(example_run):
    outdir, _ = example_run
    truth = {r["patient_id"]: r for r in read_tsv(REPO / "resources" / "example" / "truth_patients.tsv")}
    found = {r["patient_id"]: r for r in read_tsv(outdir / "patients.tsv")}
    assert set(found) == set(truth)
    for patient_id, expected in truth.items():
        assert {c: found[patient_id][c] for c in TRUTH_COLUMNS} == {c: expected[c] for c in TRUTH_COLUMNS}, patient_id


def test_example_tables_have_the_contract_columns_first(example_run):
    outdir, _ = example_run
    for name, expected in CONTRACT_COLUMNS.items():
        header = (outdir / name).read_text().split("\n", 1)[0].split("\t")
        assert header[: len(expected)] == expected, name


def test_g2032k_from_two_snvs_is_one_row(example_run):
    outdir, _ = example_run
    rows = [r for r in read_tsv(outdir / "variants.tsv") if r["patient_id"] == "P02"]
    assert [(r["protein_change"], r["hgvs_c"], r["hgvs_p"]) for r in rows] == \
        [("G2032K", "c.6094_6095delinsAA", "p.Gly2032Lys")]


def test_every_rule_writes_a_log_and_a_benchmark(example_run):
    outdir, _ = example_run
    for rule in ("manifest", "variants", "fusions", "emergence", "tables"):
        assert list((outdir / "logs" / rule).glob("*.log")), rule
        assert list((outdir / "benchmarks" / rule).glob("*.tsv")), rule


def test_second_run_has_nothing_to_do(example_run):
    outdir, _ = example_run
    result = run_snakemake("--config", f"outdir={outdir}")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_two_clean_runs_give_byte_identical_results(example_run, tmp_path):
    outdir, _ = example_run
    again = tmp_path / "again"
    run_snakemake("--config", f"outdir={again}")
    first, second = outputs(outdir), outputs(again)
    assert [p.relative_to(outdir) for p in first] == [p.relative_to(again) for p in second]
    for a, b in zip(first, second):
        assert filecmp.cmp(a, b, shallow=False), a.name


def test_lint_is_clean():
    result = run_snakemake("--lint")
    assert "Congratulations, your workflow is in a good condition!" in result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


def test_every_rule_names_a_valid_conda_environment():
    rules = (REPO / "workflow" / "rules").glob("*.smk")
    for path in rules:
        blocks = re.split(r"(?m)^rule ", path.read_text())[1:]
        for block in blocks:
            match = re.search(r'conda:\n\s+"([^"]+)"', block)
            assert match, f"{path.name}: rule {block.split(':')[0]} has no conda env"
            env = yaml.safe_load((path.parent / match[1]).read_text())
            assert env["channels"][0] == "conda-forge" and any(
                isinstance(d, str) and d.startswith("python=") for d in env["dependencies"])


@pytest.mark.parametrize("problem,edit,message", [
    ("bad timepoint", lambda s: s.replace("\tprogression\tcsf", "\trelapse\tcsf", 1),
     r"samples.tsv line \d+ \(sample_id P\d+-P\d\), column timepoint: 'relapse' is not allowed; use one of baseline, progression"),
    ("missing file", lambda s: s.replace("P01-B1.mutect2.vcf.gz", "nowhere.vcf.gz", 1),
     r"column vcf: file .*nowhere.vcf.gz not found"),
])
def test_a_bad_sheet_stops_with_one_line_and_writes_nothing(tmp_path, problem, edit, message):
    example = REPO / "resources" / "example"
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(edit((example / "samples.tsv").read_text()).replace("data/", f"{example}/data/"))
    outdir = tmp_path / "out"
    result = run_snakemake("--config", f"samples={sheet}", f"patients={example / 'patients.tsv'}",
                           f"reference_fasta={tmp_path / 'user.fa'}", f"outdir={outdir}", check=False)
    assert result.returncode != 0
    assert re.search(message, result.stderr), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not outdir.exists()


def test_the_synthetic_locus_is_never_used_for_a_users_sheets(tmp_path):
    example = REPO / "resources" / "example"
    sheet = tmp_path / "samples.tsv"
    sheet.write_text((example / "samples.tsv").read_text().replace("data/", f"{example}/data/"))
    result = run_snakemake("--config", f"samples={sheet}", f"outdir={tmp_path / 'out'}", check=False)
    assert result.returncode != 0 and "reference_fasta is the bundled SYNTHETIC locus" in result.stderr
    assert not (tmp_path / "out").exists()


def test_bundled_example_is_what_the_generator_makes(tmp_path):
    from ros1trace.synthetic.cohort import CohortWriter, example_cohort

    CohortWriter(tmp_path / "example").write(example_cohort())
    bundled = REPO / "resources" / "example"
    made = sorted(p.relative_to(tmp_path / "example") for p in (tmp_path / "example").rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    for relative in made:
        assert filecmp.cmp(tmp_path / "example" / relative, bundled / relative, shallow=False), relative


def test_example_config_matches_its_schema():
    from ros1trace.sheets import validate_config

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    assert validate_config(config)["genome_build"] == "GRCh38"


def test_a_generated_grch37_cohort_gives_its_truth(tmp_path):
    import shutil

    from ros1trace.synthetic.cohort import CohortWriter, random_cohort
    from ros1trace.synthetic.locus import bundled_fasta

    for suffix in ("", ".fai", ".gzi"):  # a user's own FASTA: outside resources/
        shutil.copy(f"{bundled_fasta('GRCh37')}{suffix}", tmp_path / f"hg19.fa.gz{suffix}")
    cohort = tmp_path / "cohort"
    CohortWriter(cohort, "GRCh37").write(random_cohort(12, seed=7))
    outdir = tmp_path / "out"
    run_snakemake("--config", f"samples={cohort / 'samples.tsv'}", f"patients={cohort / 'patients.tsv'}",
                  f"reference_fasta={tmp_path / 'hg19.fa.gz'}", "genome_build=GRCh37", "batch_size=5",
                  f"outdir={outdir}", "--", str(outdir / "patients.tsv"))
    truth = {r["patient_id"]: r for r in read_tsv(cohort / "truth_patients.tsv")}
    found = {r["patient_id"]: r for r in read_tsv(outdir / "patients.tsv")}
    assert {p: {c: r[c] for c in TRUTH_COLUMNS} for p, r in found.items()} == \
        {p: {c: r[c] for c in TRUTH_COLUMNS} for p, r in truth.items()}
    assert len(list((outdir / "work").glob("b*/variants.tsv"))) == 3  # 12 patients in batches of 5


def test_snakemake_report_collects_the_stats_and_figures(example_run):
    outdir, _ = example_run
    report = outdir / "snakemake_report.html"
    run_snakemake("--config", f"outdir={outdir}", "--report", str(report))
    text = report.read_text(errors="replace")
    assert report.stat().st_size > 100_000 and "comparisons.tsv" in text and "lollipop.png" in text


def test_the_rules_take_the_figures_from_the_figure_list_which_imports_nothing():
    common = (REPO / "workflow" / "rules" / "common.smk").read_text()
    assert "from ros1trace.cohort.figure_list import FIGURES" in common and "FIGURE_NAMES = list(FIGURES)" in common
    code = "import sys, ros1trace.cohort.figure_list; print(sorted(m for m in sys.modules if m.startswith('matplotlib')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_cluster_job_reuses_the_manifest_only_for_the_same_config(example_run):
    from ros1trace.manifest import manifest_for_job

    outdir, _ = example_run
    config = {**yaml.safe_load((REPO / "config.yaml").read_text()), "outdir": str(outdir)}
    assert manifest_for_job(config)["samples_sheet"].endswith("resources/example/samples.tsv")
    assert manifest_for_job({**config, "min_power": 0.9}) is None  # written for another config
    assert manifest_for_job({**config, "outdir": str(outdir / "nowhere")}) is None


def test_a_bad_vcf_record_stops_the_run_with_one_line_and_no_result_tables(tmp_path, user_fasta):
    import gzip

    example = REPO / "resources" / "example"
    bad = tmp_path / "bad.vcf"
    text = gzip.open(example / "data" / "P01" / "P01-P2.mutect2.vcf.gz", "rt").read()
    bad.write_text(text.replace(":0.3100:", ":1.3100:"))  # an allele fraction above 1
    sheet = tmp_path / "samples.tsv"
    sheet.write_text((example / "samples.tsv").read_text().replace("data/P01/P01-P2.mutect2.vcf.gz", str(bad))
                     .replace("data/", f"{example}/data/"))
    outdir = tmp_path / "out"
    result = run_snakemake("--config", f"samples={sheet}", f"patients={example / 'patients.tsv'}",
                           f"reference_fasta={user_fasta}", f"outdir={outdir}", check=False)
    assert result.returncode != 0
    errors = [line for line in (result.stdout + result.stderr).splitlines() if "ERROR ros1trace.variants" in line]
    assert len(errors) >= 1 and re.search(r"bad.vcf: record chr6:117317184 C>T: allele fraction is 1.31", errors[0])
    assert "Traceback" not in result.stdout + result.stderr
    assert not (outdir / "variants.tsv").exists() and not (outdir / "patients.tsv").exists()
    assert not (outdir / "work" / "b0001" / "variants.tsv").exists()
