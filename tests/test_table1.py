"""Baseline characteristics (table1.tsv): counts, summaries and tests checked by hand."""

import pytest
from scipy import stats as scipy_stats

from cohort_tables import patient
from ros1trace.cohort.table1 import TABLE1_COLUMNS, fusion_level, table1_rows

SITES = ["extracranial", "extracranial", "extracranial", "intracranial", "intracranial", "both"]
AGES = [40.0, 50.0, 62.0, 30.0, None, 55.0]
SEXES = ["female", "female", "male", "male", "female", None]


def cohort():
    patients = [patient(f"P{i}", site) for i, site in enumerate(SITES)]
    patients[1].update(fusion_partner="EZR", partner_group="non-CD74", multiple_fusions="true",
                       five_prime_ros1_partners="BTBD9")
    clinical = [{"patient_id": f"P{i}", "extra": {k: v for k, v in (("age", age), ("sex", sex), ("smoking", i < 2),
                                                                      ("site_of_biopsy", "lung"))
                                                   if v is not None}}
                for i, (age, sex) in enumerate(zip(AGES, SEXES))]
    return patients, clinical


def rows_of(rows, characteristic):
    return {r["level"]: r for r in rows if r["characteristic"] == characteristic}


def test_first_row_counts_patients_overall_and_per_site():
    row = table1_rows(*cohort(), seed=1)[0]
    assert (row["characteristic"], row["n"], row["n_extracranial"], row["n_intracranial"], row["n_both"]) == (
        "patients", 6, 3, 2, 1)


def test_age_median_and_range_overall_and_by_site_with_kruskal_wallis():
    age = rows_of(table1_rows(*cohort(), seed=1), "age")
    assert (age["median"]["value"], age["min"]["value"], age["max"]["value"], age["median"]["n"]) == (50, 30, 62, 5)
    assert (age["median"]["value_extracranial"], age["median"]["value_intracranial"]) == (50, 30)
    assert age["max"]["value_both"] == 55
    assert age["missing"]["n"] == 1 and age["missing"]["n_intracranial"] == 1
    expected = scipy_stats.kruskal([40, 50, 62], [30], [55]).pvalue
    assert age["median"]["p_value"] == pytest.approx(expected) and age["median"]["test"] == "kruskal_wallis"


def test_categories_count_every_patient_of_the_group_with_a_missing_row():
    sex = rows_of(table1_rows(*cohort(), seed=1), "sex")
    assert list(sex) == ["female", "male", "missing"]
    assert (sex["female"]["n"], sex["female"]["pct"]) == (3, 50.0)
    assert (sex["female"]["n_extracranial"], sex["female"]["pct_extracranial"]) == (2, 66.7)
    assert (sex["missing"]["n_both"], sex["missing"]["pct_both"]) == (1, 100.0)


def test_category_test_is_ffh_on_the_sites_with_values():
    sex = rows_of(table1_rows(*cohort(), seed=1), "sex")
    # 'both' has no sex recorded: the table is extracranial (2 F, 1 M) x intracranial (1 F, 1 M)
    expected = scipy_stats.fisher_exact([[2, 1], [1, 1]]).pvalue
    assert sex["female"]["test"] == "fisher_freeman_halton" and sex["female"]["method"] == "exact"
    assert sex["female"]["p_value"] == pytest.approx(expected)
    assert sex["male"]["p_value"] == sex["female"]["p_value"]


def test_booleans_are_levels_true_then_false():
    smoking = rows_of(table1_rows(*cohort(), seed=1), "smoking")
    assert list(smoking) == ["true", "false"] and smoking["true"]["n"] == 2


def test_fusion_partner_is_printed_like_the_study_with_5_prime_ros1_fusions():
    rows = table1_rows(*cohort(), seed=1)
    partners = rows_of(rows, "fusion_partner")
    assert set(partners) == {"CD74-ROS1", "EZR-ROS1 + ROS1-BTBD9"}
    assert rows_of(rows, "multiple_fusions")["true"]["n"] == 1
    assert fusion_level(patient("Q", partner=None)) == "no ROS1 fusion"


def test_any_other_sheet_column_is_summarised_after_the_known_ones():
    rows = table1_rows(*cohort(), seed=1)
    order = list(dict.fromkeys(r["characteristic"] for r in rows))
    assert order == ["patients", "age", "sex", "smoking", "fusion_partner", "partner_group", "multiple_fusions",
                     "site_of_biopsy"]
    assert rows_of(rows, "site_of_biopsy")["lung"]["p_value"] is None  # one level: no test


def test_a_site_with_no_patients_has_zero_counts_and_no_percent():
    patients, clinical = cohort()
    patients = [p for p in patients if p["progression_site"] != "both"]
    sex = rows_of(table1_rows(patients, clinical, seed=1), "sex")
    assert (sex["female"]["n_both"], sex["female"]["pct_both"]) == (0, None)


def test_rows_only_use_known_columns():
    rows = table1_rows(*cohort(), seed=1)
    assert all(set(r) <= set(TABLE1_COLUMNS) for r in rows)


def test_partner_groups_keep_their_order_and_no_fusion_comes_last():
    patients = [patient("A", partner=None), patient("B", partner="EZR"), patient("C", partner="EZR"),
                patient("D", partner="CD74")]
    rows = table1_rows(patients, [], seed=1)
    assert list(rows_of(rows, "partner_group")) == ["CD74", "non-CD74", "none"]
    assert list(rows_of(rows, "fusion_partner")) == ["EZR-ROS1", "CD74-ROS1", "no ROS1 fusion"]


def test_survival_outcomes_are_not_baseline_characteristics():
    from ros1trace.cohort.table1 import characteristics

    patients = [{"patient_id": "P1", "progression_site": "both"}]
    clinical = [{"patient_id": "P1", "extra": {"age": 50, "pfs_months": 7.5, "pfs_event": 1}}]
    assert [name for name, _ in characteristics(patients, clinical)] == ["age", "fusion_partner", "partner_group",
                                                                         "multiple_fusions"]
