"""Each patient's ROS1 mutation status and resistance mechanism (docs/methods.md, docs/outputs.md).

* Qualifying mutations: catalog entries (V1174F included) or missense, nonsense or in-frame
  changes in the kinase domain (``catalog.is_qualifying``); synonymous, intronic, UTR never.
* ``ros1_mutation_status`` over the qualifying mutations called at progression: ``emergent`` if any
  is emergent, else ``pre_existing``, else ``indeterminate``, else ``none``; ``indeterminate``
  when the patient has no progression small-variant sample.
* ``resistance_mechanism``: ``ros1_on_target`` if a qualifying mutation is called at progression
  (whatever its baseline status); else ``off_target`` if an off-target alteration is found at
  progression; else ``none_detected`` if a progression small-variant sample was assessed; else
  ``not_assessable``.
"""

from __future__ import annotations

from ..reference.catalog import is_qualifying, residue_of

STATUS_ORDER = ("emergent", "pre_existing", "indeterminate")


def _by_residue(changes) -> list[str]:
    return sorted(set(changes), key=lambda c: (residue_of(c) or 0, c))


def patient_mechanism(emergence_rows: list[dict], has_progression_vcf: bool, off_target: list[str]) -> dict:
    qualifying = [r for r in emergence_rows
                  if r.get("progression_samples") and is_qualifying(r["protein_change"], r["consequence"])]
    statuses = {r["status"] for r in qualifying}
    if not has_progression_vcf:
        status = "indeterminate"
    else:
        status = next((s for s in STATUS_ORDER if s in statuses), "none")
    if qualifying:
        mechanism = "ros1_on_target"
    elif off_target:
        mechanism = "off_target"
    elif has_progression_vcf:
        mechanism = "none_detected"
    else:
        mechanism = "not_assessable"
    return {
        "emergent_ros1_mutations": ";".join(_by_residue(r["protein_change"] for r in qualifying
                                                        if r["status"] == "emergent")),
        "ros1_mutations_at_progression": ";".join(_by_residue(r["protein_change"] for r in qualifying)),
        "ros1_mutation_status": status,
        "resistance_mechanism": mechanism,
        "off_target_alterations": ";".join(off_target),
    }
