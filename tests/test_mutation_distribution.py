"""mutation_distribution.tsv (Fig. 2a): every patient is in the rows that describe them.

A patient with emergent mutations is in each of their mutations' rows; any other patient is in
exactly one of ``none detected``, ``pre-existing only``, ``indeterminate``, ``not assessable``, so
those rows add up to the patients without an emergent mutation and nobody is hidden.
"""

from __future__ import annotations

import pytest

from cohort_tables import patient, random_cohort, run_stats, write_cohort
from conftest import REPO, run_snakemake
from ros1trace.cohort import study_stats as stats_stage
from ros1trace.tsv import read_tsv

FIXED_ROWS = [label for label, _ in stats_stage.NO_EMERGENT_ROWS]


def expected_row(status: str, mutations_at_progression: bool) -> str:
    """The row of a patient without an emergent mutation, written out independently of the stage."""
    if status == "none":
        return "none detected"
    if status == "pre_existing":
        return "pre-existing only"
    return "indeterminate" if mutations_at_progression else "not assessable"


def every_status_cohort() -> list[dict]:
    return [
        patient("E1", status="emergent", mutations="G2032R"),
        patient("E2", status="emergent", mutations="G2032K;L2026M", site="intracranial",
                ros1_mutations_at_progression="G2032K;L2026M;S1986Y"),
        patient("N1", status="none"),
        patient("N2", status="none", mechanism="off_target", off_target_alterations="MET amplification (CN 9)"),
        patient("X1", status="pre_existing", ros1_mutations_at_progression="L2086F", site="both"),
        patient("I1", status="indeterminate", mechanism="ros1_on_target", ros1_mutations_at_progression="G2032R"),
        patient("A1", status="indeterminate", mechanism="not_assessable", partner=None),
        patient("A2", status="indeterminate", mechanism="off_target", off_target_alterations="MET amplification"),
    ]


def rows_by_patient(rows: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows:
        ids = row["patient_ids"].split(";") if row["patient_ids"] else []
        assert int(row["n_patients"]) == len(ids), row["protein_change"]
        for pid in ids:
            found.setdefault(pid, []).append(row["protein_change"])
    return found


def assert_everyone_in_their_rows(rows: list[dict], patients: list[dict]) -> None:
    found = rows_by_patient(rows)
    assert set(found) == {p["patient_id"] for p in patients}  # nobody hidden
    for p in patients:
        mutations = [m for m in (p["emergent_ros1_mutations"] or "").split(";") if m]
        if mutations:
            assert sorted(found[p["patient_id"]]) == sorted(mutations), p["patient_id"]
        else:
            at_progression = bool(p.get("ros1_mutations_at_progression"))
            assert found[p["patient_id"]] == [expected_row(p["ros1_mutation_status"], at_progression)], p["patient_id"]
    without = sum(int(r["n_patients"]) for r in rows if r["protein_change"] in FIXED_ROWS)
    with_emergent = {p["patient_id"] for p in patients if p["emergent_ros1_mutations"]}
    assert without + len(with_emergent) == len(patients)
    assert [r["protein_change"] for r in rows][-4:] == FIXED_ROWS


def test_every_status_puts_each_patient_in_the_rows_that_describe_them():
    patients = every_status_cohort()
    rows = stats_stage.mutation_distribution(patients, [])
    assert_everyone_in_their_rows(rows, patients)
    counts = {r["protein_change"]: r["n_patients"] for r in rows}
    assert counts == {"G2032R": 1, "G2032K": 1, "L2026M": 1, "none detected": 2, "pre-existing only": 1,
                      "indeterminate": 1, "not assessable": 2}
    categories = {r["protein_change"]: r["category"] for r in rows}
    assert categories["G2032K"] == "emergent_mutation" and categories["not assessable"] == "not_assessable"


def test_a_status_the_stage_does_not_know_is_counted_not_assessable_with_a_log_line(caplog):
    rows = stats_stage.mutation_distribution([patient("Q1", status="")], [])
    assert rows_by_patient(rows) == {"Q1": ["not assessable"]}
    assert "patient Q1 has ros1_mutation_status ''" in caplog.text


@pytest.mark.parametrize("n,seed", [(300, 5), (1000, 9)])
def test_rows_add_up_to_the_generated_cohort_in_the_written_table(tmp_path, n, seed):
    cohort = random_cohort(n, seed=seed)
    cohort["patients"] += every_status_cohort()
    paths = write_cohort(tmp_path, cohort)
    run_stats(paths)
    rows = read_tsv(tmp_path / "stats" / "mutation_distribution.tsv")
    assert_everyone_in_their_rows(rows, read_tsv(paths["patients"]))
    statuses = {p["ros1_mutation_status"] for p in cohort["patients"]}
    assert statuses == {"emergent", "pre_existing", "indeterminate", "none"}
    assert all(int(r["n_patients"]) > 0 for r in rows)  # every row has patients in a cohort this size


def test_rows_add_up_to_the_bundled_example(tmp_path):
    """On the example (whatever it holds when regenerated): the rows follow its truth table."""
    outdir = tmp_path / "results"
    run_snakemake("--config", f"outdir={outdir}", "--", str(outdir / "stats" / "mutation_distribution.tsv"))
    rows = read_tsv(outdir / "stats" / "mutation_distribution.tsv")
    truth = read_tsv(REPO / "resources" / "example" / "truth_patients.tsv")
    found = rows_by_patient(rows)
    assert set(found) == {t["patient_id"] for t in truth}
    for t in truth:
        mutations = sorted(m for m in t["emergent_ros1_mutations"].split(";") if m)
        # in the truth table a qualifying mutation at progression shows as mechanism ros1_on_target
        expected = mutations or [expected_row(t["ros1_mutation_status"], t["resistance_mechanism"] == "ros1_on_target")]
        assert sorted(found[t["patient_id"]]) == expected, t["patient_id"]
    without = sum(int(r["n_patients"]) for r in rows if r["protein_change"] in FIXED_ROWS)
    assert without == sum(not t["emergent_ros1_mutations"] for t in truth)
