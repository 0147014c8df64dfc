"""A patient's ROS1 fusion status, from that patient's fusions.tsv rows (docs/outputs.md, patients.tsv).

Rules
-----
* Events are the rows' ``event_id`` s (one per partner gene, see :mod:`.classify`): two callers,
  both BND mates, the same fusion at both timepoints, and a reciprocal CD74-ROS1/ROS1-CD74 pair
  are each one event.
* **Primary canonical fusion**: among events with a ``canonical`` row, those seen at baseline
  come first; then the most support (at baseline when seen there, else anywhere); then the name,
  so ties are deterministic.  ``fusion_partner`` is its 5' gene, empty without a canonical fusion.
* ``partner_group``: ``none`` with no ROS1 fusion row at all; else ``CD74`` when the primary
  fusion's partner is CD74, ``non-CD74`` otherwise.  Without a canonical fusion the primary is the
  best partner-ROS1 junction (kinase lost, or unknown orientation), else any event; the note says so.
* ``multiple_fusions``: more than one event (a 5'-ROS1 fusion with its own partner counts).
* ``five_prime_ros1_partners``: 3' partners of ``five_prime_ros1`` rows, except reciprocal
  junctions of a canonical event (same partner), sorted and ``;``-joined.
* ``fusion_status`` of the primary event across timepoints: ``both``, ``baseline_only``,
  ``progression_only``; ``none`` without fusions.  A fusion missing from a progression sample is
  more often low tumour content (plasma, CSF) than loss of the driver: ``fusion_note`` says so, and
  says when a timepoint had no fusion assay at all (known when ``samples`` is given).
Rows may hold Python values or the TSV's strings ('true', '12', '').
"""

from __future__ import annotations

from .classify import CANONICAL, FIVE_PRIME
from .genes import ROS1

BASELINE, PROGRESSION = "baseline", "progression"


def _support(row: dict) -> int:
    value = row.get("support")
    try:
        return int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


def _event(row: dict) -> str:
    return row.get("event_id") or row.get("partner") or f"{row.get('gene5')}::{row.get('gene3')}"


def _rank(event: str, rows: list[dict]) -> tuple:
    """Sort key of an event: baseline first, then most support, then name."""
    baseline = [_support(r) for r in rows if r.get("timepoint") == BASELINE]
    return (0, -max(baseline), event) if baseline else (1, -max(map(_support, rows)), event)


def _primary(events: dict[str, list[dict]]) -> tuple[str, list[dict], str]:
    """(event, its rows of the chosen kind, how it was chosen)."""
    tiers = (
        ("canonical", lambda r: r.get("fusion_class") == CANONICAL),
        ("partner-ROS1 junction that is not canonical", lambda r: r.get("gene3") == ROS1),
        ("ROS1 rearrangement", lambda r: True),
    )
    for kind, keep in tiers:
        chosen = {e: [r for r in rows if keep(r)] for e, rows in events.items()}
        chosen = {e: rows for e, rows in chosen.items() if rows}
        if chosen:
            event = min(chosen, key=lambda e: _rank(e, chosen[e]))
            return event, chosen[event], kind
    raise ValueError("no rows")


def _samples_at(samples: list[dict] | None, rows: list[dict], timepoint: str) -> list[str] | None:
    """Sample ids assessed for fusions at a timepoint; None when unknown (no sample list given)."""
    if samples is not None:
        return sorted(s["sample_id"] for s in samples if s.get("timepoint") == timepoint and s.get("fusions"))
    seen = sorted({r["sample_id"] for r in rows if r.get("timepoint") == timepoint and r.get("sample_id")})
    return seen or None


def _status_note(event: str, status: str, assessed: dict[str, list[str] | None], rows: list[dict]) -> str:
    if status not in ("baseline_only", "progression_only"):
        return ""
    missing = PROGRESSION if status == "baseline_only" else BASELINE
    ids = assessed[missing]
    if ids == []:
        return f"no {missing} sample was assessed for fusions"
    if ids is None:
        return f"{event} not called at {missing} (or no {missing} sample was assessed for fusions)"
    silent = [s for s in ids if not any(r.get("sample_id") == s for r in rows)]
    nothing = " (no ROS1 fusion called there at all)" if silent == ids else ""
    return (f"{event} not called in {missing} sample(s) {', '.join(ids)}{nothing}: low tumour content in "
            "that sample is the likely reason, not a change of driver")


def summarise_patient(rows: list[dict], samples: list[dict] | None = None) -> dict:
    """The fusion columns of patients.tsv for one patient (see the module header)."""
    if not rows:
        assessed = samples is None or any(s.get("fusions") for s in samples)
        return {"fusion_partner": "", "partner_group": "none", "multiple_fusions": False,
                "five_prime_ros1_partners": "", "fusion_status": "none",
                "fusion_note": "no ROS1 fusion called" if assessed else "no sample was assessed for fusions"}
    events: dict[str, list[dict]] = {}
    for row in rows:
        events.setdefault(_event(row), []).append(row)
    primary, primary_rows, kind = _primary(events)
    best = min(primary_rows, key=lambda r: (r.get("timepoint") != BASELINE, -_support(r)))
    timepoints = {r.get("timepoint") for r in events[primary]}
    status = ("both" if {BASELINE, PROGRESSION} <= timepoints
              else "baseline_only" if BASELINE in timepoints else "progression_only")
    canonical_events = {e for e, rs in events.items() if any(r.get("fusion_class") == CANONICAL for r in rs)}
    five_prime = sorted({r["gene3"] for e, rs in events.items() if e not in canonical_events
                         for r in rs if r.get("fusion_class") == FIVE_PRIME})
    reciprocal = sorted(e for e in canonical_events
                        if any(r.get("fusion_class") == FIVE_PRIME for r in events[e]))
    assessed = {t: _samples_at(samples, rows, t) for t in (BASELINE, PROGRESSION)}
    notes = [_status_note(primary, status, assessed, rows)]
    if kind != "canonical":
        notes.append(f"no canonical ROS1 fusion (partner 5', kinase kept); primary is the {kind} {primary}")
    notes += [f"{e}: reciprocal ROS1-{events[e][0]['partner']} junction also called (one rearrangement)"
              for e in reciprocal]
    return {
        "fusion_partner": best["gene5"] if kind == "canonical" else "",
        "partner_group": "CD74" if best.get("partner") == "CD74" else "non-CD74",
        "multiple_fusions": len(events) > 1,
        "five_prime_ros1_partners": ";".join(five_prime),
        "fusion_status": status,
        "fusion_note": "; ".join(n for n in notes if n),
    }
