"""The resistance catalog: every named mutation present, sourced, drug cells only from sources."""

from __future__ import annotations

import pytest

from ros1trace.reference.catalog import DRUGS, catalog, is_qualifying, resistance_status
from ros1trace.reference.transcript import protein

REQUIRED = ("G2032R G2032K D2033N L2026M L2086F S1986Y S1986F L1951R G2101A L2155S F2004C F2004V E1990G "
            "K2003R F2075V F2075C V2098I G1957A D2113N D2113G C2060G E1935G L1982F V1174F").split()


def test_every_required_mutation_is_in_the_catalog_with_a_source():
    entries = catalog()
    for name in REQUIRED:
        assert name in entries, name
        assert entries[name].sources, name


@pytest.mark.parametrize("name", sorted(catalog()))
def test_catalog_residues_match_p08922_and_drug_cells_are_r_s_or_partial(name):
    entry = catalog()[name]
    residue = int(name[1:-1])
    assert protein()[residue - 1] == name[0]
    assert set(entry.drugs.values()) <= {"R", "S", "~"} and set(entry.drugs) <= set(DRUGS)


def test_the_studys_l1174f_is_v1174f_with_the_studys_spelling_kept():
    assert "L1174F" not in catalog() and "L1174F" in catalog()["V1174F"].note


def test_sourced_drug_activity_is_kept():
    g2032r = catalog()["G2032R"]
    assert g2032r.resistant_to == "crizotinib;entrectinib"
    assert g2032r.sensitive_to == "repotrectinib;taletrectinib;cabozantinib"
    assert catalog()["L2026M"].drugs == {"crizotinib": "R"}  # nothing else has a source


@pytest.mark.parametrize("change,consequence,qualifying,status", [
    ("G2032R", "missense_variant", True, "known"),
    ("V1174F", "missense_variant", True, "known"),  # outside the kinase domain, but catalogued
    ("A2000T", "missense_variant", True, "novel_kinase_domain"),
    ("S1986*", "stop_gained", True, "novel_kinase_domain"),
    ("G2032=", "synonymous_variant", False, ""),
    ("A1000T", "missense_variant", False, ""),  # outside the kinase domain, not catalogued
    ("V2068Lfs*15", "frameshift_variant", False, ""),
    ("", "intron_variant", False, ""),
])
def test_qualifying_mutations_are_catalog_or_kinase_domain_protein_changes(change, consequence, qualifying, status):
    assert is_qualifying(change, consequence) is qualifying
    assert resistance_status(change, consequence) == status
