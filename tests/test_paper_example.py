"""The paper example (resources/paper) through snakemake: the study's counts, the audit, power, survival."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from conftest import REPO, run_snakemake
from ros1trace.synthetic.paper import write
from ros1trace.tsv import read_tsv

PAPER = REPO / "resources" / "paper"
GENERATED = ["patients.tsv", "samples.tsv", "truth_patients.tsv", "README.md"]


def _config(outdir: Path) -> list[str]:
    return ["--configfile", str(PAPER / "config.yaml"), "--config", f"outdir={outdir}"]


@pytest.fixture(scope="module")
def paper_run(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("paper") / "results"
    run_snakemake(*_config(outdir))
    return outdir


@pytest.fixture(scope="module")
def audit(paper_run):
    return {row["item"]: row for row in read_tsv(paper_run / "audit" / "reported_vs_recomputed.tsv")}


def test_regenerating_the_paper_example_gives_the_same_bytes(tmp_path):
    write(tmp_path)
    for name in GENERATED:
        assert filecmp.cmp(tmp_path / name, PAPER / name, shallow=False), name
    ours = sorted(p.relative_to(tmp_path / "data") for p in (tmp_path / "data").rglob("*") if p.is_file())
    bundled = sorted(p.relative_to(PAPER / "data") for p in (PAPER / "data").rglob("*") if p.is_file())
    assert ours == bundled
    for path in ours:
        assert filecmp.cmp(tmp_path / "data" / path, PAPER / "data" / path, shallow=False), path


def test_paper_run_finds_what_the_truth_table_says(paper_run):
    truth = {r["patient_id"]: r for r in read_tsv(PAPER / "truth_patients.tsv")}
    found = {r["patient_id"]: r for r in read_tsv(paper_run / "patients.tsv")}
    assert found.keys() == truth.keys() and len(found) == 49
    for patient_id, expected in truth.items():
        assert {c: found[patient_id][c] for c in expected} == expected, patient_id


def test_paper_run_reproduces_the_studys_comparison_counts(paper_run):
    rows = {r["comparison"]: r for r in read_tsv(paper_run / "stats" / "comparisons.tsv")}
    site = rows["ros1_mutation_by_progression_site"]
    assert (site["k_a"], site["n_a"], site["pct_a"]) == ("24", "33", "72.7")  # the study's 72.7%
    table1 = {(r["characteristic"], r["level"]): r for r in read_tsv(paper_run / "stats" / "table1.tsv")}
    assert table1["fusion_partner", "CD74-ROS1 + ROS1-MRAS"]["n"] == "1"
    assert table1["sex", "female"]["n"] == "28" and table1["smoking", "true"]["n"] == "12"


@pytest.mark.parametrize(
    "item,words",
    [
        (
            "mutation rate, intracranial-only (Results; Fig. 2b)",
            ["no whole number over 11 gives 15.2%", "5/33 = 15.15%"],
        ),
        (
            "CD74-ROS1 at diagnosis, % (Discussion)",
            ["no whole number over 49 gives 57.4%", "the paper prints 57.1% (28/49) for the same number"],
        ),
        (
            "CCDC6-ROS1, % (Results: '2%, 2.1/49')",
            ["the printed numerator 2.1 is not a whole number of patients"],
        ),
        (
            "mutation rate, CD74 vs non-CD74: p (Supplementary Fig. 1; Methods: chi-square)",
            [
                "at the paper's counts 19/27 vs 9/17",
                "0.337 is Fisher, not the Pearson chi-square the paper names",
            ],
        ),
        (
            "patients with secondary ROS1 mutations (Results)",
            ["recomputed 29, not 30", "the paper's own 14 + 4 + 3 + 3 + 2 + 1 + 1 + 1 = 29, not 30"],
        ),
        ("patients with brain progression (Discussion: 'ten')", ["the paper's own 11 + 5 = 16, not 10"]),
        ("both: CD74-ROS1 (Fig. 1)", ["recomputed 2, not 3", "the paper prints 2 for the same number"]),
        (
            "mutation rate, extracranial- vs intracranial-only: p (Results; Fig. 2b; Methods: chi-square)",
            ["24/33 vs 1/11 (Yates chi-square)", "24/33 vs 2/11 (Pearson chi-square)"],
        ),
    ],
)
def test_audit_flags_the_papers_inconsistencies_with_their_explanation(audit, item, words):
    assert audit[item]["agrees"] == "false"
    for word in words:
        assert word in audit[item]["note"], audit[item]["note"]


def test_audit_explains_truncated_percents_and_accepts_consistent_ones(audit):
    g2032r = audit["ROS1 G2032R, % (Results; Fig. 2a)"]
    assert g2032r["agrees"] == "true" and "14/49 = 28.571%: truncated, not rounded" in g2032r["note"]
    assert audit["SDC4-ROS1 (Table 1)"]["agrees"] == "true"
    assert audit["patients screened (Results)"]["agrees"] == ""  # listed, not checkable from the run


def test_power_and_survival_tables_on_the_paper_example(paper_run):
    power = {r["comparison"]: r for r in read_tsv(paper_run / "stats" / "power.tsv")}
    assert set(power) == {r["comparison"] for r in read_tsv(paper_run / "stats" / "comparisons.tsv")}
    assert 0 < float(power["ros1_mutation_by_progression_site"]["power_fisher"]) < 1
    survival = read_tsv(paper_run / "stats" / "survival.tsv")
    assert [(r["endpoint"], r["comparison"]) for r in survival][:3] == [("pfs", "progression_site")] * 3
    assert len(survival) == 2 * (3 + 2 + 2)
    assert all(r["events"] == r["n"] for r in survival if r["endpoint"] == "pfs")  # everyone progressed
    figures = sorted(p.name for p in (paper_run / "figures" / "survival").glob("*.png"))
    assert len(figures) == 6


def test_paper_rerun_gives_byte_identical_audit_power_and_survival(paper_run, tmp_path):
    again = tmp_path / "results"
    run_snakemake(*_config(again), "--until", "audit", "power", "survival")
    for name in ("audit/reported_vs_recomputed.tsv", "stats/power.tsv", "stats/survival.tsv"):
        assert (again / name).read_bytes() == (paper_run / name).read_bytes(), name


def test_report_shows_the_audits_disagreements_power_and_survival(paper_run):
    page = (paper_run / "report.html").read_text()
    assert "<h2 id='audit'>Reported vs recomputed</h2>" in page
    assert "0.337 is Fisher, not the Pearson chi-square the paper names" in page.replace("&#x27;", "'")
    assert "<h2 id='power'>Power</h2>" in page and "<h2 id='survival'>Survival</h2>" in page
    assert page.count("alt='km_") == 6


def test_audit_and_survival_rules_run_only_when_the_run_has_their_inputs(tmp_path):
    """The bundled example has no reported YAML and no survival columns: power only."""
    result = run_snakemake("-n", "--config", f"outdir={tmp_path / 'results'}")
    jobs = result.stdout + result.stderr
    assert "rule power:" in jobs
    assert "rule survival:" not in jobs and "rule audit:" not in jobs


def test_a_broken_reported_yaml_stops_the_run_in_one_line_before_anything_is_written(tmp_path):
    bad = tmp_path / "reported.yaml"
    bad.write_text("items:\n  - item: fused\n    percent: '5'\n")
    outdir = tmp_path / "results"
    result = run_snakemake(*_config(outdir), "--config", f"reported={bad}", f"outdir={outdir}", check=False)
    assert result.returncode != 0
    assert f"{bad} item 1 (fused): a percent needs its denominator 'of:'" in result.stderr
    assert not outdir.exists()
