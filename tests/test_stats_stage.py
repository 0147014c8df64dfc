"""The stats stage: which patients each comparison counts, the tables it writes, edge cases."""

import json
import subprocess
import sys
import time

import pytest

from cohort_tables import group, patient, random_cohort, run_stats, write_cohort
from ros1trace import columns
from ros1trace.cohort import study_stats as stats_stage
from ros1trace.tsv import read_tsv

CONTRACT = {
    "comparisons.tsv": "comparison group_a k_a n_a pct_a ci_low_a ci_high_a group_b k_b n_b pct_b ci_low_b "
                       "ci_high_b test statistic p_value",
    "comparisons_rxc.tsv": "comparison rows columns counts test statistic p_value",
    "table1.tsv": "characteristic level n pct",
    "mutation_distribution.tsv": "protein_change n_patients pct_patients",
}


def study_cohort():
    """Extracranial 24/33 emergent, intracranial 2/11, both 1/5, plus 3 indeterminate patients."""
    return (group("E", 24, site="extracranial", status="emergent", mutations="G2032R")
            + group("EN", 9, site="extracranial", status="none")
            + group("I", 2, site="intracranial", status="emergent", mutations="G2032R")
            + group("IN", 9, site="intracranial", status="none")
            + group("B", 1, site="both", status="emergent", mutations="V1174F")
            + group("BN", 4, site="both", status="none", partner="SDC4")
            + group("X", 3, site="extracranial", status="indeterminate"))


def rows_for(rows, comparison):
    return {r["test"]: r for r in rows if r["comparison"] == comparison}


ALL = [c.label for c in stats_stage.COMPARISONS + stats_stage.RXC_COMPARISONS]


def test_progression_site_rate_counts_emergent_over_assessable_and_notes_the_excluded():
    rows = rows_for(stats_stage.comparison_rows(study_cohort(), ALL), "ros1_mutation_by_progression_site")
    fisher = rows["fisher_exact"]
    assert (fisher["group_a"], fisher["k_a"], fisher["n_a"], fisher["pct_a"]) == ("extracranial", 24, 33, 72.7)
    assert (fisher["group_b"], fisher["k_b"], fisher["n_b"], fisher["pct_b"]) == ("intracranial", 2, 11, 18.2)
    assert round(fisher["p_value"], 4) == 0.0032 and round(rows["chi2"]["p_value"], 4) == 0.0014
    assert fisher["excluded"] == 8
    assert fisher["note"].endswith("excluded: 5 with progression_site both; 3 with ros1_mutation_status indeterminate")


def test_partner_comparison_among_single_site_patients_reproduces_the_studys_p():
    cohort = (group("C", 19, status="emergent", mutations="G2032R") + group("CN", 8, site="intracranial")
              + group("S", 9, partner="SDC4", status="emergent", mutations="G2032R")
              + group("SN", 8, partner="EZR", site="intracranial")
              + group("B", 4, site="both", status="emergent", mutations="G2032R")
              + group("NF", 2, partner=None, status="emergent", mutations="G2032R"))
    rows = stats_stage.comparison_rows(cohort, ALL)
    single = rows_for(rows, "ros1_mutation_by_partner_group")["fisher_exact"]
    assert (single["k_a"], single["n_a"], single["k_b"], single["n_b"]) == (19, 27, 9, 17)
    assert round(single["p_value"], 3) == 0.337
    assert "2 with partner_group none" in single["note"] and "4 with progression_site both" in single["note"]
    every = rows_for(rows, "ros1_mutation_by_partner_group_all")["fisher_exact"]
    assert (every["k_a"], every["n_a"], every["k_b"], every["n_b"]) == (23, 31, 9, 17)


def test_intracranial_progression_rate_counts_intracranial_and_both_by_partner_group():
    cohort = (group("C", 10, site="intracranial") + group("CB", 2, site="both") + group("CE", 16)
              + group("S", 3, partner="SDC4", site="both", status="indeterminate")
              + group("SE", 7, partner="TPM3"))
    row = rows_for(stats_stage.comparison_rows(cohort, ALL), "intracranial_progression_by_partner_group")["chi2"]
    # mutation status does not matter for this rate: indeterminate patients count
    assert (row["k_a"], row["n_a"], row["k_b"], row["n_b"]) == (12, 28, 3, 10)
    assert row["outcome"].startswith("intracranial progression")


def test_a_group_with_zero_patients_gives_rows_with_empty_tests_and_a_note():
    cohort = group("E", 5, status="emergent", mutations="G2032R") + group("EN", 3)
    rows = rows_for(stats_stage.comparison_rows(cohort, ALL), "ros1_mutation_by_progression_site")
    assert set(rows) == {"fisher_exact", "chi2", "chi2_yates"}
    for row in rows.values():
        assert (row["n_b"], row["pct_b"], row["ci_low_b"], row["statistic"], row["p_value"]) == (0, None, None, None,
                                                                                                   None)
        assert "undefined: no patients in group_b" in row["note"]


def test_all_patients_indeterminate_excludes_everyone_without_crashing(tmp_path):
    cohort = {"patients": group("X", 6, status="indeterminate") + group("Y", 2, site="both", status="indeterminate")}
    paths = write_cohort(tmp_path, cohort)
    run_stats(paths)
    rows = read_tsv(tmp_path / "stats" / "comparisons.tsv")
    mutation_rows = [r for r in rows if r["comparison"].startswith("ros1_mutation")]
    assert len(mutation_rows) == 9
    assert all(r["n_a"] == "0" and r["n_b"] == "0" and r["p_value"] == "" for r in mutation_rows)
    assert "6 with ros1_mutation_status indeterminate" in mutation_rows[0]["note"]
    # the rate of intracranial progression does not depend on mutation status: still computed
    assert [r["n_a"] for r in rows if r["comparison"] == "intracranial_progression_by_partner_group"] == ["8"] * 3
    rxc = read_tsv(tmp_path / "stats" / "comparisons_rxc.tsv")
    assert all(r["p_value"] == "" and "undefined" in r["note"] for r in rxc)


def test_only_the_configured_comparisons_run():
    rows = stats_stage.comparison_rows(study_cohort(), ["ros1_mutation_by_partner_group_all"])
    assert {r["comparison"] for r in rows} == {"ros1_mutation_by_partner_group_all"}
    assert stats_stage.rxc_rows(study_cohort(), ["ros1_mutation_by_partner_group_all"], seed=1) == []


def test_three_site_table_is_json_counts_with_chi2_and_ffh():
    rows = {r["test"]: r for r in stats_stage.rxc_rows(study_cohort(), ALL, seed=5)}
    assert set(rows) == {"chi2", "fisher_freeman_halton"}
    ffh = rows["fisher_freeman_halton"]
    assert json.loads(ffh["rows"]) == ["extracranial", "intracranial", "both"]
    assert json.loads(ffh["counts"]) == [[24, 9], [2, 9], [1, 4]]
    assert ffh["counts"] == "[[24,9],[2,9],[1,4]]"  # compact, one form
    assert ffh["method"] == "exact" and ffh["recommended"] is True and 0 < ffh["p_value"] < 0.01
    assert ffh["excluded"] == 3 and ffh["n"] == 49


def test_mutation_distribution_uses_every_patient_as_denominator_and_ends_with_the_rows_without_one():
    patients = [patient("A", status="emergent", mutations="G2032R;L2086F"),
                patient("B", status="emergent", mutations="G2032R", progression_site="intracranial"),
                patient("C", status="pre_existing", ros1_mutations_at_progression="L2086F"),
                patient("D", status="indeterminate")]
    emergence = [{"patient_id": "A", "protein_change": "G2032R", "status": "emergent", "progression_vaf": "0.1"},
                 {"patient_id": "B", "protein_change": "G2032R", "status": "emergent", "progression_vaf": "0.3"}]
    rows = stats_stage.mutation_distribution(patients, emergence)
    assert [(r["protein_change"], r["n_patients"], r["pct_patients"], r["patient_ids"]) for r in rows] == [
        ("G2032R", 2, 50.0, "A;B"), ("L2086F", 1, 25.0, "A"), ("none detected", 0, 0.0, ""),
        ("pre-existing only", 1, 25.0, "C"), ("indeterminate", 0, 0.0, ""), ("not assessable", 1, 25.0, "D")]
    assert rows[0]["median_progression_vaf"] == pytest.approx(0.2)
    assert (rows[0]["n_intracranial"], rows[0]["pct_intracranial"]) == (1, 100.0)
    assert rows[0]["residue"] == 2032 and rows[-1]["residue"] is None


def test_stage_writes_the_contract_columns_first(tmp_path):
    paths = write_cohort(tmp_path, random_cohort(60))
    run_stats(paths)
    for name, contract in CONTRACT.items():
        header = (tmp_path / "stats" / name).read_text().splitlines()[0].split("\t")
        assert header[: len(contract.split())] == contract.split(), name


def test_stage_reruns_are_byte_identical(tmp_path):
    paths = write_cohort(tmp_path, random_cohort(120, seed=3))
    run_stats(paths)
    first = {p.name: p.read_bytes() for p in (tmp_path / "stats").iterdir()}
    run_stats(paths)
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "stats").iterdir()}


def test_empty_cohort_writes_tables_with_headers_and_no_crash(tmp_path):
    paths = write_cohort(tmp_path, {"patients": []})
    run_stats(paths)
    distribution = read_tsv(tmp_path / "stats" / "mutation_distribution.tsv")
    assert [(r["protein_change"], r["n_patients"], r["pct_patients"]) for r in distribution] == [
        (label, "0", "") for label, _ in stats_stage.NO_EMERGENT_ROWS]
    table1 = read_tsv(tmp_path / "stats" / "table1.tsv")
    assert [(r["characteristic"], r["n"]) for r in table1] == [("patients", "0")]


def test_stage_runs_from_the_command_line(tmp_path):
    paths = write_cohort(tmp_path, random_cohort(30))
    log = tmp_path / "stats.log"
    subprocess.run([sys.executable, "-m", "ros1trace.cli", "stats", "--manifest", str(paths["manifest"]),
                    "--patients", str(paths["patients"]), "--emergence", str(paths["emergence"]),
                    "--outdir", str(tmp_path / "stats"), "--log", str(log)], check=True, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "stats").iterdir()) == sorted(CONTRACT)
    assert "done in" in log.read_text()


def test_thousand_patients_take_seconds_not_minutes(tmp_path):
    paths = write_cohort(tmp_path, random_cohort(1000))
    started = time.perf_counter()
    run_stats(paths)
    assert time.perf_counter() - started < 10
    assert len(read_tsv(tmp_path / "stats" / "comparisons.tsv")) == 12
    assert columns.PATIENTS[0] == "patient_id"  # the builder writes the lead's columns
