"""The ROS1 resistance catalog: known resistance mutations and the drugs they resist.

Built from resources/reference/ros1_resistance_evidence.md; a drug cell without a source stays
empty.  The study prints "L1174F", but residue 1174 of P08922 is V, so the catalog holds V1174F
(with the study's spelling in its note); likewise the study's "G2026M" is L2026M.

A *qualifying* mutation (docs/methods.md, Resistance mechanism) is a catalog entry, or a missense,
nonsense or in-frame change inside the Pfam kinase domain (1945-2215); synonymous, intronic and UTR
changes never are.
Kinase-domain missense changes that are not in the catalog are flagged ``novel_kinase_domain``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .transcript import read_tsv, resources_dir, residue_in_kinase_domain

DRUGS = ("crizotinib", "entrectinib", "ceritinib", "lorlatinib", "repotrectinib", "taletrectinib", "cabozantinib")
QUALIFYING_CONSEQUENCES = {"missense_variant", "stop_gained", "inframe_deletion", "inframe_insertion",
                           "protein_altering_variant"}
_RESIDUE = re.compile(r"^[A-Z*](\d+)")


@dataclass(frozen=True)
class Entry:
    mutation: str
    region: str
    drugs: dict
    sources: str
    note: str

    @property
    def resistant_to(self) -> str:
        return ";".join(d for d in DRUGS if self.drugs.get(d) == "R")

    @property
    def sensitive_to(self) -> str:
        return ";".join(d for d in DRUGS if self.drugs.get(d) == "S")


ACTIVITY_WORDS = {"R": "resistant", "S": "active", "~": "partial"}  # an empty cell is "unknown"


@dataclass(frozen=True)
class Evidence:
    """What stands behind one filled drug cell: level (clinical, preclinical, ...) and source ids."""

    level: str
    sources: tuple[str, ...]
    detail: str


@cache
def drug_evidence() -> dict[tuple[str, str], Evidence]:
    """(mutation, drug) -> the evidence of that catalog cell (ros1_drug_evidence.tsv)."""
    rows = read_tsv(resources_dir() / "catalog" / "ros1_drug_evidence.tsv")
    return {(r["mutation"], r["drug"]): Evidence(r["level"], tuple(s for s in r["sources"].split(";") if s),
                                                 r["detail"]) for r in rows}


@cache
def sources() -> dict[str, str]:
    """Source id -> citation, as numbered in resources/reference/ros1_resistance_evidence.md."""
    return {r["id"]: r["citation"] for r in read_tsv(resources_dir() / "catalog" / "ros1_catalog_sources.tsv")}


@cache
def catalog() -> dict[str, Entry]:
    rows = read_tsv(resources_dir() / "catalog" / "ros1_resistance_catalog.tsv")
    return {r["mutation"]: Entry(r["mutation"], r["region"], {d: r[d] for d in DRUGS if r[d]}, r["sources"], r["note"])
            for r in rows}


def residue_of(protein_change: str) -> int | None:
    match = _RESIDUE.match(protein_change or "")
    return int(match[1]) if match else None


def is_qualifying(protein_change: str, consequence: str) -> bool:
    """Catalog mutation, or a missense/nonsense/in-frame change in the kinase domain."""
    if not protein_change:
        return False
    if protein_change in catalog():
        return True
    terms = set(consequence.split("&")) if consequence else set()
    residue = residue_of(protein_change)
    return bool(terms & QUALIFYING_CONSEQUENCES) and residue is not None and residue_in_kinase_domain(residue) \
        and not protein_change.endswith("=")


@cache  # one answer per distinct change; a batch asks again for every sample carrying it
def resistance_status(protein_change: str, consequence: str) -> str:
    """``known`` (catalog), ``novel_kinase_domain`` (other qualifying change) or empty."""
    if protein_change in catalog():
        return "known"
    return "novel_kinase_domain" if is_qualifying(protein_change, consequence) else ""
