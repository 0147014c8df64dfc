"""audit/reported_vs_recomputed.tsv: each check on small hand-made cohorts, and the YAML's errors."""

from __future__ import annotations

import pytest

from ros1trace.cohort import audit
from ros1trace.errors import InputError


def cohort(groups: dict[str, tuple[int, int]]) -> list[dict]:
    """Records: for each site, (mutated, total) patients."""
    records = []
    for site, (mutated, total) in groups.items():
        for i in range(total):
            records.append(
                {
                    "patient_id": f"{site}{i}",
                    "progression_site": site,
                    "age": str(30 + i),
                    "ros1_mutation_status": "emergent" if i < mutated else "none",
                    "emergent_ros1_mutations": "G2032R;L2026M" if i == 0 and mutated else "",
                }
            )
    return records


RECORDS = cohort({"extracranial": (24, 33), "intracranial": (4, 11), "both": (1, 5)})


def percent(text, count=None, of=49, select=None, among=None):
    item = {
        "item": "x",
        "percent": text,
        "of": str(of),
        "select": select or {"ros1_mutation_status": "emergent"},
    }
    if count is not None:
        item["count"] = str(count)
    if among:
        item["among"] = among
    return audit.check_percent(item, RECORDS, [33, 11])


def test_a_rounded_percent_of_the_recomputed_fraction_agrees():
    assert percent("59.2", 29) == {"recomputed": "29/49 = 59.2%", "agrees": True, "note": ""}


def test_a_truncated_percent_agrees_and_says_truncated_not_rounded():
    result = percent("59.1", 29)
    assert result["agrees"] and result["note"] == "29/49 = 59.184%: truncated, not rounded"


def test_a_percent_no_whole_number_gives_names_the_fractions_that_do():
    result = percent("15.2", of=11, among={"progression_site": "intracranial"})
    assert not result["agrees"]
    assert result["note"].startswith(
        "no whole number over 11 gives 15.2% (nearest 2/11 = 18.18%); 5/33 = 15.15%"
    )


def test_a_percent_that_is_another_fraction_over_its_denominator_is_named():
    result = percent("61.2", 29)  # 61.2% is 30/49
    assert not result["agrees"] and "29/49 = 59.18%, not 61.2% (30/49 = 61.22%)" in result["note"]


def test_a_decimal_comma_and_a_fractional_numerator_are_said():
    assert percent("59,2", 29)["note"] == "decimal comma read as a point"
    result = percent("59.2", "29.5")
    assert (
        not result["agrees"]
        and "the printed numerator 29.5 is not a whole number of patients" in result["note"]
    )


def test_counts_that_differ_from_the_run_disagree():
    result = percent("61.2", 30)
    assert not result["agrees"] and result["note"] == "recomputed 29/49, the paper 30/49"
    assert audit.check_count(
        {"count": "16", "select": {"progression_site": ["intracranial", "both"]}}, RECORDS
    )["agrees"]


def p_item(reported, test, paper_counts=None):
    item = {
        "p_value": reported,
        "test": test,
        "group_a": {"progression_site": "extracranial"},
        "group_b": {"progression_site": "intracranial"},
        "outcome": {"ros1_mutation_status": "emergent"},
    }
    if paper_counts:
        item["paper_counts"] = paper_counts
    return audit.check_p_value(item, RECORDS)


def test_p_value_names_the_test_that_reproduces_it_and_whether_the_paper_named_it():
    # 24/33 vs 4/11: Fisher 0.0668, Pearson 0.0299, Yates 0.0704
    fisher = p_item("0.067", "chi-square")
    assert not fisher["agrees"] and fisher["recomputed"] == "0.0299"
    assert "0.067 is Fisher, not the Pearson chi-square the paper names" in fisher["note"]
    named = p_item("0.03", "chi-square")
    assert named["agrees"] and "0.03 is the named test (Pearson chi-square)" in named["note"]
    assert "no test gives 0.5" in p_item("0.5", "fisher")["note"]


def test_p_value_at_the_papers_counts_and_a_search_for_an_unknown_numerator():
    known = p_item("0.337", "chi-square", ["19", "27", "9", "17"])
    assert "at the paper's counts 19/27 vs 9/17: Fisher 0.3371" in known["note"]
    unknown = p_item("0.001", "chi-square", ["24", "33", "null", "11"])
    assert "24/33 vs 1/11 (Yates chi-square); 24/33 vs 2/11 (Pearson chi-square)" in unknown["note"]


def test_median_and_range_of_a_column():
    assert audit.check_median({"median": "35", "column": "age"}, RECORDS)["agrees"] is False
    result = audit.check_median(
        {"median": "41", "column": "age", "among": {"progression_site": "extracranial"}}, RECORDS
    )
    assert result == {"recomputed": "46", "agrees": False, "note": "median of 33 patients"}
    assert audit.check_range({"range": ["30", "62"], "column": "age"}, RECORDS)["agrees"]


def test_list_cells_match_any_item_and_exactly_matches_the_whole_cell():
    record = {"emergent_ros1_mutations": "G2032R;L2026M", "types": "csf;plasma"}
    assert audit.matches(record, {"emergent_ros1_mutations": "L2026M"})
    assert audit.matches(record, {"types": {"exactly": "csf;plasma"}})
    assert not audit.matches(record, {"types": {"exactly": "plasma"}})


def test_the_papers_own_sums_and_repeats_are_checked():
    items = [
        {"id": "a", "item": "intracranial", "count": "11", "select": {"progression_site": "intracranial"}},
        {"id": "b", "item": "both", "count": "5", "select": {"progression_site": "both"}},
        {
            "item": "brain",
            "count": "10",
            "select": {"progression_site": ["intracranial", "both"]},
            "equals_sum_of": ["a", "b"],
        },
        {"item": "again", "count": "12", "select": {"progression_site": "intracranial"}, "same_as": "a"},
    ]
    rows = {r["item"]: r for r in audit.audit_rows(items, RECORDS)}
    assert rows["brain"]["note"] == "recomputed 16, not 10; the paper's own 11 + 5 = 16, not 10"
    assert "the paper prints 11 for the same number (intracranial)" in rows["again"]["note"]
    assert rows["intracranial"]["agrees"] is True


@pytest.mark.parametrize(
    "text,message",
    [
        ("items:\n  - item: a\n    percent: '5'\n", "item 1 (a): a percent needs its denominator 'of:'"),
        ("items:\n  - item: a\n", "item 1 (a): no reported number; give one of p_value, percent"),
        (
            "items:\n  - item: a\n    p_value: '0.3'\n    test: anova\n"
            "    group_a: {}\n    group_b: {}\n    outcome: {}\n",
            "item 1 (a): test 'anova' is not known",
        ),
        (
            "items:\n  - item: a\n    count: 3\n    equals_sum_of: [zz]\n",
            "item 1 (a): refers to unknown id(s) zz",
        ),
        (
            "items:\n  - item: a\n    count: 3\n    item: b\n",
            "line 2: not valid YAML (key 'item' given twice in one item",
        ),
        (
            "items:\n  - item: a\n    p_value: '0.3'\n    test: fisher\n"
            "    group_a: {}\n    group_b: {}\n    outcome: {}\n"
            "    paper_counts: [1, null, 2, 3]\n",
            "item 1 (a): paper_counts must be [k_a, n_a, k_b, n_b]",
        ),
        ("count: 3\n", "needs a top-level 'items:' list"),
    ],
)
def test_a_bad_reported_yaml_is_one_line_naming_the_item(tmp_path, text, message):
    path = tmp_path / "reported.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        audit.load_reported(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_bundled_study_transcription_loads_and_keeps_printed_decimals():
    from conftest import REPO

    items = audit.load_reported(REPO / "resources" / "paper" / "reported.yaml")
    printed = {i["item"]: i.get("p_value") or i.get("percent") for i in items}
    assert (
        printed["progression site by partner group: p (Supplementary Fig. 2; Methods: chi-square)"] == "1.000"
    )
    assert printed["CD74 share, extracranial-only (Supplementary Fig. 2)"] == "57.63"
