"""Patient-level fusion columns (docs/outputs.md, patients.tsv) from fusions.tsv rows."""

from __future__ import annotations

from ros1trace.fusions.summary import summarise_patient


def row(sample, timepoint, gene5, gene3, fusion_class="canonical", support=10, event=None):
    partner = gene3 if gene5 == "ROS1" else gene5
    return {"patient_id": "P1", "sample_id": sample, "timepoint": timepoint, "gene5": gene5, "gene3": gene3,
            "partner": partner, "fusion_class": fusion_class, "support": support,
            "kinase_retained": fusion_class == "canonical", "class_reason": "",
            "event_id": event or (f"{partner}::ROS1" if gene3 == "ROS1" else f"ROS1::{partner}")}


def test_no_fusion_rows_mean_partner_group_none():
    summary = summarise_patient([])
    assert summary == {"fusion_partner": "", "partner_group": "none", "multiple_fusions": False,
                       "five_prime_ros1_partners": "", "fusion_status": "none", "fusion_note": "no ROS1 fusion called"}


def test_primary_canonical_fusion_prefers_baseline_then_support():
    rows = [row("B", "baseline", "EZR", "ROS1", support=5), row("P", "progression", "CD74", "ROS1", support=50),
            row("B", "baseline", "SDC4", "ROS1", support=8)]
    summary = summarise_patient(rows)
    assert (summary["fusion_partner"], summary["partner_group"], summary["multiple_fusions"]) == ("SDC4", "non-CD74", True)
    assert summary["fusion_status"] == "baseline_only"


def test_cd74_fusion_at_both_timepoints():
    summary = summarise_patient([row("B", "baseline", "CD74", "ROS1"), row("P", "progression", "CD74", "ROS1")])
    assert (summary["fusion_partner"], summary["partner_group"], summary["fusion_status"]) == ("CD74", "CD74", "both")
    assert summary["multiple_fusions"] is False and summary["fusion_note"] == ""


def test_five_prime_ros1_partner_counts_as_a_second_fusion():
    rows = [row("B", "baseline", "CD74", "ROS1"), row("B", "baseline", "ROS1", "MRAS", "five_prime_ros1"),
            row("P", "progression", "ROS1", "PUM1", "five_prime_ros1")]
    summary = summarise_patient(rows)
    assert summary["multiple_fusions"] is True
    assert summary["five_prime_ros1_partners"] == "MRAS;PUM1"


def test_reciprocal_pair_is_one_fusion_and_not_a_five_prime_partner():
    rows = [row("B", "baseline", "CD74", "ROS1"),
            row("B", "baseline", "ROS1", "CD74", "five_prime_ros1", event="CD74::ROS1")]
    summary = summarise_patient(rows)
    assert (summary["multiple_fusions"], summary["five_prime_ros1_partners"]) == (False, "")
    assert "reciprocal ROS1-CD74" in summary["fusion_note"]


def test_fusion_missing_at_progression_is_explained_as_low_tumour_content():
    samples = [{"sample_id": "B", "timepoint": "baseline", "fusions": "b.tsv"},
               {"sample_id": "Pl", "timepoint": "progression", "fusions": "p.tsv"}]
    summary = summarise_patient([row("B", "baseline", "CD74", "ROS1")], samples)
    assert summary["fusion_status"] == "baseline_only"
    assert "not called in progression sample(s) Pl (no ROS1 fusion called there at all)" in summary["fusion_note"]
    assert "low tumour content" in summary["fusion_note"]
    alone = summarise_patient([row("B", "baseline", "CD74", "ROS1")], samples[:1])
    assert alone["fusion_note"] == "no progression sample was assessed for fusions"


def test_tsv_strings_are_accepted():
    rows = [dict(row("B", "baseline", "CD74", "ROS1"), support="12", kinase_retained="true"),
            dict(row("B", "baseline", "SDC4", "ROS1"), support="", kinase_retained="true")]
    assert summarise_patient(rows)["fusion_partner"] == "CD74"


def test_without_a_canonical_fusion_the_partner_is_empty_and_the_note_says_why():
    rows = [row("B", "baseline", "CD74", "ROS1", "other"), row("B", "baseline", "ROS1", "MRAS", "five_prime_ros1")]
    summary = summarise_patient(rows)
    assert (summary["fusion_partner"], summary["partner_group"]) == ("", "CD74")
    assert "no canonical ROS1 fusion" in summary["fusion_note"]
    assert summary["five_prime_ros1_partners"] == "MRAS"
