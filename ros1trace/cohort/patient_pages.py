"""``patients/<patient_id>.html`` and ``.json``, one page a patient (for stage ``patient-pages``).

What a tumour board asks of a patient progressing on crizotinib, read from the run's tables
(``patients.tsv``, ``variants.tsv``, ``fusions.tsv``, ``emergence.tsv``) and the manifest (the
sheets): which ROS1 fusion (partner, which gene is 5', breakpoint exons, kinase kept, support in
each sample, drawn as the fused transcript); which ROS1 variants were seen at baseline and at
progression, with VAF and depth, whether each emerged and how sure that is; off-target
alterations; the resistance mechanism; and, for each qualifying ROS1 mutation, the catalog's drug
activity with its evidence level and sources.

Biology and rules encoded here
------------------------------
* A progression mutation is *emergent* only when the baseline could have seen it: the detection
  power P(alt reads >= min_alt_reads | baseline depth, progression VAF) >= min_power
  (``emergence.tsv``); the page states that probability in words, it does not recompute it.
* Drug cells come from ``resources/catalog`` only: R resistant, S active, ~ partial, each with
  its evidence level and numbered sources; an empty cell is printed *unknown* (never guessed).
  Mutations that are not in the catalog (novel kinase-domain changes) get unknown everywhere.
* A qualifying mutation is a catalog mutation or a missense/nonsense/in-frame kinase-domain
  change (``emergence.tsv`` column ``qualifying``).

The JSON holds the same content as the page, for other tools.  Pages are deterministic (no date,
no absolute paths), self-contained (inline CSS and SVG, no script, no network) and printable on
A4 (print CSS: one or two pages).
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..fusions.drawing import fusion_svg
from ..reference import catalog as drug_catalog
from ..reference.transcript import TRANSCRIPT
from ..tsv import format_value, read_tsv

log = logging.getLogger(__name__)

RESEARCH_USE = ("Research use only. Not a clinical report: produced by ros1trace from sequencing outputs, "
                "not validated for clinical decision making.")
STATUS_WORDS = {
    "emergent": "emergent: absent at baseline although the baseline could have seen it",
    "pre_existing": "pre-existing: already present at baseline",
    "lost": "lost: seen at baseline, not at progression",
    "indeterminate": "indeterminate: the baseline cannot tell whether it was there",
}
MECHANISM_WORDS = {
    "ros1_on_target": "ROS1 on-target: a qualifying ROS1 mutation is called at progression",
    "off_target": "off-target: no qualifying ROS1 mutation; an off-target alteration at progression",
    "none_detected": "none detected: the progression sample shows no qualifying ROS1 mutation and no "
                     "off-target alteration",
    "not_assessable": "not assessable: no progression small-variant sample",
}
EVIDENCE_WORDS = {
    "bam": "reads counted in the baseline BAM",
    "vcf_reference_record": "a reference (0/0 or gVCF) record in the baseline VCF",
    "vcf_called_record": "a called record in the baseline VCF",
    "vcf_filtered_record": "a filtered record in the baseline VCF",
    "sheet_depth": "the sample sheet's typical depth (no record at the site)",
}
SUMMARY_COLUMNS = ("progression_site", "fusion_partner", "partner_group", "multiple_fusions",
                   "five_prime_ros1_partners", "emergent_ros1_mutations", "ros1_mutations_at_progression",
                   "ros1_mutation_status", "fusion_status", "fusion_note", "notes")
ACTIVITY_CLASS = {"active": "act", "partial": "part", "resistant": "res", "unknown": "unk"}
STYLE = """
body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px;color:#222;max-width:900px;margin:16px auto;
padding:0 12px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;border-bottom:2px solid #0072B2;margin:14px 0 4px;
padding-bottom:2px}
.ruo{border:2px solid #D55E00;background:#fff3ec;padding:4px 8px;font-weight:bold;margin:6px 0}
table{border-collapse:collapse;margin:4px 0 6px;font-size:11px}th,td{border:1px solid #ccc;padding:2px 5px;
text-align:left;vertical-align:top}th{background:#eef3f8}.note{color:#555;font-size:11px;margin:2px 0}
td.act{background:#d9f0e3}td.part{background:#fff1c9}td.res{background:#f9d9cc}td.unk{color:#777}
.glance td:first-child{font-weight:bold}svg{max-width:100%;height:auto}nav a{margin-right:10px}
.variant{display:flex;gap:10px;align-items:flex-start;break-inside:avoid}.sources li{font-size:10px}
@page{size:A4;margin:11mm}
@media print{body{max-width:none;margin:0;font-size:9.5px}table{font-size:8.5px}h2{margin:8px 0 3px;
font-size:12px}nav{display:none}.note{font-size:8.5px}section,.variant,tr{break-inside:avoid}
.sources li{font-size:8px}
svg.fusion{max-height:120px}}
"""


def _num(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int_text(value) -> str:
    number = _num(value)
    return f"{int(number):,}" if number is not None else "unknown"


def esc(value) -> str:
    return html.escape(format_value(value))


def table(header: list[str], rows: list[list], raw: bool = False,
          classes: list[list[str]] | None = None) -> str:
    """An HTML table; cells escaped unless ``raw``; ``classes`` a CSS class per cell."""
    head = "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr></thead>" if header else ""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            css = f' class="{classes[i][j]}"' if classes and classes[i][j] else ""
            cells.append(f"<td{css}>{cell if raw else esc(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


# -- content (the JSON) ----------------------------------------------------------------------------
def power_words(row: dict, min_alt_reads, min_power) -> str:
    """How sure the status is, in words, from an emergence.tsv row."""
    status, evidence = row.get("status", ""), row.get("baseline_evidence", "")
    if evidence == "no_baseline_sample":
        return "no baseline sample: whether it was there before treatment cannot be told"
    if status in ("pre_existing", "lost") or evidence == "called":
        vaf = row.get("baseline_vaf") or "unknown"
        return (f"called at baseline: VAF {vaf}, {row.get('baseline_alt_reads') or 'unknown'} alternate "
                f"reads of depth {_int_text(row.get('baseline_depth'))}")
    power = _num(row.get("detection_power"))
    kinds = sorted({part.rsplit(":", 1)[-1] for part in evidence.split(";") if part})
    source = "; ".join(EVIDENCE_WORDS.get(kind, kind) for kind in kinds)
    if power is None:
        return f"baseline depth {_int_text(row.get('baseline_depth'))}: detection power not computed"
    enough = power >= float(min_power)
    return (f"baseline depth {_int_text(row.get('baseline_depth'))} ({source}): a clone at the progression "
            f"VAF {row.get('progression_vaf') or 'unknown'} would have been seen (at least {min_alt_reads} "
            f"reads) with probability {power:.3f}"
            + ("" if enough else f", below the {min_power} needed: cannot tell"))


def drug_rows(change: str) -> list[dict]:
    """The catalog's activity of every drug against ``change``: activity, level, sources, detail."""
    entry = drug_catalog.catalog().get(change)
    evidence = drug_catalog.drug_evidence()
    rows = []
    for drug in drug_catalog.DRUGS:
        cell = entry.drugs.get(drug, "") if entry else ""
        found = evidence.get((change, drug))
        rows.append({"drug": drug, "activity": drug_catalog.ACTIVITY_WORDS.get(cell, "unknown"),
                     "level": found.level if found and cell else "",
                     "sources": list(found.sources) if found and cell else [],
                     "detail": found.detail if found and cell else ""})
    return rows


def _variant_key(row: dict) -> tuple:
    return (row.get("hgvs_c") or "", row.get("chrom", "").removeprefix("chr"), row.get("pos", ""))


def variant_entries(variant_rows: list[dict], emergence_rows: list[dict], config: dict) -> list[dict]:
    """Every ROS1 variant of the patient: per-sample VAF/depth, status and its certainty."""
    entries: dict[tuple, dict] = {}
    for row in emergence_rows:
        entries[_variant_key(row)] = {
            "protein_change": row.get("protein_change", ""), "hgvs_c": row.get("hgvs_c", ""), "hgvs_p": "",
            "consequence": row.get("consequence", ""), "exon": "",
            "qualifying": row.get("qualifying") == "true",
            "status": row.get("status", ""), "status_words": STATUS_WORDS.get(row.get("status", ""), ""),
            "certainty": power_words(row, config.get("min_alt_reads"), config.get("min_power")),
            "detection_power": _num(row.get("detection_power")),
            "baseline": {"vaf": _num(row.get("baseline_vaf")), "depth": _num(row.get("baseline_depth")),
                         "alt_reads": _num(row.get("baseline_alt_reads")),
                         "evidence": row.get("baseline_evidence", "")},
            "progression": {"vaf": _num(row.get("progression_vaf")),
                            "depth": _num(row.get("progression_depth")),
                            "alt_reads": _num(row.get("progression_alt_reads"))},
            "samples": [], "known_resistance": False}
    for row in variant_rows:
        entry = entries.setdefault(_variant_key(row), {
            "protein_change": row.get("protein_change", ""), "hgvs_c": row.get("hgvs_c", ""),
            "consequence": row.get("consequence", ""), "qualifying": False, "status": "",
            "status_words": "only at baseline or not called: no emergence status", "certainty": "",
            "detection_power": None, "baseline": {}, "progression": {}, "samples": []})
        entry.update(hgvs_p=row.get("hgvs_p", ""), exon=row.get("exon", ""),
                     known_resistance=row.get("known_resistance") == "true")
        entry["samples"].append({"sample_id": row["sample_id"], "timepoint": row["timepoint"],
                                 "sample_type": row.get("sample_type", ""), "vaf": _num(row.get("vaf")),
                                 "depth": _num(row.get("depth")), "alt_reads": _num(row.get("alt_reads")),
                                 "filter": row.get("filter", ""), "called": row.get("called") == "true"})
    return sorted(entries.values(), key=lambda e: (not e["qualifying"], e["protein_change"], e["hgvs_c"]))


def fusion_entries(rows: list[dict]) -> list[dict]:
    """One entry per fusion event (both mates, callers and timepoints of a break are one event)."""
    events: dict[str, dict] = {}
    for row in rows:
        key = row.get("event_id") or f"{row['gene5']}::{row['gene3']}"
        ros1_is_5 = row["gene5"] == "ROS1"
        event = events.setdefault(key, {
            "event_id": key, "gene5": row["gene5"], "gene3": row["gene3"], "partner": row.get("partner", ""),
            "orientation": f"{row['gene5']} 5' :: {row['gene3']} 3'",
            "fusion_class": row.get("fusion_class", ""), "class_reason": row.get("class_reason", ""),
            "ros1_breakpoint": row.get("ros1_breakpoint", ""),
            "partner_breakpoint": row.get("partner_breakpoint", ""),
            "breakpoint5": row.get("ros1_breakpoint" if ros1_is_5 else "partner_breakpoint", ""),
            "breakpoint3": row.get("partner_breakpoint" if ros1_is_5 else "ros1_breakpoint", ""),
            "partner_transcript": row.get("partner_transcript", ""),
            "kinase_retained": row.get("kinase_retained") == "true", "calls": []})
        event["calls"].append({"sample_id": row["sample_id"], "timepoint": row["timepoint"],
                               "support": _num(row.get("support")),
                               "source_format": row.get("source_format", ""),
                               "breakpoint": f"{row.get('chrom5', '')}:{row.get('pos5', '')} :: "
                                             f"{row.get('chrom3', '')}:{row.get('pos3', '')}"})
    # the kinase-keeping fusion (the driver) first
    return sorted(events.values(), key=lambda e: (not e["kinase_retained"], e["event_id"]))


def patient_content(patient: dict, sheet: dict, samples: list[dict], variants: list[dict],
                    fusions: list[dict], emergence: list[dict], config: dict, build: str) -> dict:
    """Everything the page shows, as plain data (the JSON file)."""
    variant_list = variant_entries(variants, emergence, config)
    qualifying = [v["protein_change"] for v in variant_list
                  if v["qualifying"] and v["protein_change"] and v["status"] != "lost"]
    drugs = [{"mutation": change, "in_catalog": change in drug_catalog.catalog(), "drugs": drug_rows(change)}
             for change in dict.fromkeys(qualifying)]
    cited = sorted({s for d in drugs for row in d["drugs"] for s in row["sources"]},
                   key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0, s))
    citations = drug_catalog.sources()
    return {
        "patient_id": patient["patient_id"], "research_use": RESEARCH_USE, "genome_build": build,
        "transcript": TRANSCRIPT,
        "summary": {k: patient.get(k, "") for k in SUMMARY_COLUMNS},
        "sheet": {"progression_site": sheet.get("progression_site", patient.get("progression_site", "")),
                  **sheet.get("extra", {})},
        "samples": [{"sample_id": s["sample_id"], "timepoint": s["timepoint"],
                     "sample_type": s["sample_type"],
                     "files": {k: Path(s[k]).name for k in ("vcf", "fusions", "bam", "cnv") if s.get(k)},
                     "sheet_depth": s.get("depth")} for s in samples],
        "fusions": fusion_entries(fusions),
        "variants": variant_list,
        "off_target": [a for a in (patient.get("off_target_alterations") or "").split(";") if a],
        "mechanism": {"code": patient.get("resistance_mechanism", ""),
                      "words": MECHANISM_WORDS.get(patient.get("resistance_mechanism", ""), "")},
        "drug_activity": drugs,
        "sources": [{"id": s, "citation": citations.get(s, "")} for s in cited],
        "settings": {"min_alt_reads": config.get("min_alt_reads"), "min_power": config.get("min_power")},
    }


# -- the page --------------------------------------------------------------------------------------
def vaf_plot(entry: dict) -> str:
    """Baseline -> progression VAF of one variant: a point per sample (hollow when not called),
    the patient-level baseline estimate when no baseline sample called it."""
    points = [(s["timepoint"], s["vaf"], s["called"], s["sample_id"]) for s in entry["samples"]
              if s["vaf"] is not None]
    if not any(t == "baseline" for t, *_ in points) and entry["baseline"].get("vaf") is not None:
        points.append(("baseline", entry["baseline"]["vaf"], False, "baseline evidence"))
    if not any(t == "progression" for t, *_ in points) and entry["progression"].get("vaf") is not None:
        points.append(("progression", entry["progression"]["vaf"], True, "progression"))
    top = max([0.05] + [v for _, v, *_ in points])
    top = min(1.0, (int(top * 10) + 1) / 10)
    width, height, left, bottom = 170, 92, 34, 72
    xs = {"baseline": 58, "progression": 140}

    def y(v: float) -> float:
        return bottom - v / top * 60

    parts = [f'<line x1="{left}" y1="{bottom}" x2="{width - 6}" y2="{bottom}" stroke="#888"/>',
             f'<line x1="{left}" y1="{bottom}" x2="{left}" y2="{bottom - 62}" stroke="#888"/>',
             f'<text x="{left - 3}" y="{bottom + 3}" font-size="8" text-anchor="end">0</text>',
             f'<text x="{left - 3}" y="{y(top) + 3:.1f}" font-size="8" text-anchor="end">{top:g}</text>',
             f'<text x="3" y="{bottom - 30}" font-size="8" '
             f'transform="rotate(-90 8 {bottom - 30})">VAF</text>']
    for name, x in xs.items():
        parts.append(f'<text x="{x}" y="{bottom + 12}" font-size="8" text-anchor="middle">{name}</text>')
    by_time = {t: [v for tt, v, *_ in points if tt == t] for t in xs}
    if by_time["baseline"] and by_time["progression"]:
        parts.append(f'<line x1="{xs["baseline"]}" y1="{y(max(by_time["baseline"])):.1f}" '
                     f'x2="{xs["progression"]}" y2="{y(max(by_time["progression"])):.1f}" stroke="#D55E00" '
                     'stroke-width="1.2"/>')
    for timepoint, vaf, called, sample in points:
        fill = "#D55E00" if called else "white"
        parts.append(f'<circle cx="{xs.get(timepoint, 100)}" cy="{y(vaf):.1f}" r="3.5" fill="{fill}" '
                     f'stroke="#D55E00"><title>{html.escape(sample)}: VAF {vaf:g}</title></circle>')
    if not by_time["baseline"]:
        parts.append(f'<text x="{xs["baseline"]}" y="{bottom - 4}" font-size="8" text-anchor="middle" '
                     'fill="#777">no data</text>')
    label = html.escape(entry["protein_change"] or entry["hgvs_c"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="vaf" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="VAF of {label} at baseline and progression">'
            f'{"".join(parts)}</svg>')


def _fraction(value) -> str:
    return "unknown" if value is None else f"{value:g}"


def glance_section(content: dict) -> str:
    summary = content["summary"]
    fusions = "; ".join(f"{f['gene5']}::{f['gene3']} ({f['fusion_class'].replace('_', ' ')})"
                        for f in content["fusions"]) or "no fusion found"
    mutations = summary["ros1_mutations_at_progression"].replace(";", ", ") or "none"
    rows = [["Fusion", fusions],
            ["ROS1 mutations at progression", mutations],
            ["Emergent", summary["emergent_ros1_mutations"].replace(";", ", ") or "none"],
            ["ROS1 mutation status", (summary["ros1_mutation_status"] or "unknown").replace("_", " ")],
            ["Resistance mechanism", content["mechanism"]["words"] or "unknown"],
            ["Progression site", summary["progression_site"] or "unknown"]]
    if summary["notes"]:  # what the run noted about this patient (e.g. no samples in the sheet)
        rows.append(["Notes", summary["notes"]])
    return "<section><h2 id='glance'>At a glance</h2>" + table([], rows).replace(
        "<table>", "<table class='glance'>", 1) + "</section>"


def sheet_section(content: dict) -> str:
    sheet = [[k.replace("_", " "), "unknown" if v in (None, "") else v] for k, v in content["sheet"].items()]
    samples = [[s["sample_id"], s["timepoint"], s["sample_type"].replace("_", " "),
                ", ".join(f"{k}: {v}" for k, v in s["files"].items()) or "none",
                _int_text(s["sheet_depth"]) if s["sheet_depth"] is not None else "not given"]
               for s in content["samples"]]
    return ("<section><h2 id='sheet'>Sheet data</h2>" + table(["patient sheet", "value"], sheet)
            + (table(["sample", "timepoint", "type", "files", "sheet depth"], samples) if samples
               else "<p class='note'>no samples in the sample sheet</p>") + "</section>")


def fusion_section(content: dict) -> str:
    parts = ["<section><h2 id='fusions'>Fusions</h2>"]
    if not content["fusions"]:
        note = content["summary"].get("fusion_note")
        parts.append(f"<p>no fusion found{': ' + esc(note) if note else ''}</p></section>")
        return "".join(parts)
    rows = []
    for f in content["fusions"]:
        support = "; ".join(f"{c['sample_id']} ({c['timepoint']}, {c['source_format']}): "
                            f"{_fraction(c['support'])} reads" for c in f["calls"])
        rows.append([f["event_id"], f["orientation"], f["fusion_class"].replace("_", " "),
                     f"{f['gene5']} {f['breakpoint5'] or 'unknown'}; "
                     f"{f['gene3']} {f['breakpoint3'] or 'unknown'}",
                     "yes" if f["kinase_retained"] else "no", support])
    parts.append(table(["fusion", "5'/3'", "class", "breakpoints", "ROS1 kinase kept", "support per sample"],
                       rows))
    for f in content["fusions"]:
        reason = f"<p class='note'>{esc(f['class_reason'])}</p>" if f["class_reason"] else ""
        drawing = fusion_svg(f["gene5"], f["gene3"], f["breakpoint5"], f["breakpoint3"],
                             content["genome_build"])
        parts.append(f"<div>{drawing}{reason}</div>")
    parts.append("</section>")
    return "".join(parts)


def variant_section(content: dict) -> str:
    parts = ["<section><h2 id='variants'>ROS1 variants</h2>"]
    if not content["variants"]:
        parts.append("<p>no ROS1 variant in any sample</p></section>")
        return "".join(parts)
    for v in content["variants"]:
        samples = [[s["sample_id"], s["timepoint"], _fraction(s["vaf"]), _int_text(s["depth"]),
                    _int_text(s["alt_reads"]), s["filter"] or "none", "yes" if s["called"] else "no"]
                   for s in v["samples"]]
        if not any(s["timepoint"] == "baseline" for s in v["samples"]) and v["baseline"]:
            b = v["baseline"]
            samples.append(["baseline (not called)", "baseline", _fraction(b.get("vaf")),
                            _int_text(b.get("depth")), _int_text(b.get("alt_reads")),
                            b.get("evidence") or "none", "no"])
        name = v["protein_change"] or v["hgvs_c"]
        head = (f"<b>{esc(name)}</b> {esc(v['hgvs_c'])} {esc(v.get('hgvs_p', ''))} {esc(v['consequence'])}"
                f"{', exon ' + esc(v['exon']) if v.get('exon') else ''}"
                f"{'; qualifying' if v['qualifying'] else '; not qualifying'}")
        parts.append(f"<div class='variant'>{vaf_plot(v)}<div><p>{head}</p>"
                     f"<p>Status: {esc(v['status_words'] or 'no emergence status')}</p>"
                     f"{'<p>' + esc(v['certainty']) + '</p>' if v['certainty'] else ''}"
                     + table(["sample", "timepoint", "VAF", "depth", "alt reads", "filter", "called"],
                             samples)
                     + "</div></div>")
    parts.append(f"<p class='note'>Numbering on {TRANSCRIPT} (P08922). Hollow points: not called.</p>"
                 "</section>")
    return "".join(parts)


def mechanism_section(content: dict) -> str:
    off = "".join(f"<li>{esc(a)}</li>" for a in content["off_target"])
    return ("<section><h2 id='mechanism'>Off-target findings and mechanism</h2>"
            + (f"<ul>{off}</ul>" if off else "<p>no off-target alteration found</p>")
            + f"<p>Mechanism: {esc(content['mechanism']['words'] or 'unknown')}</p></section>")


def drug_section(content: dict) -> str:
    parts = ["<section><h2 id='drugs'>Next-line options: drug activity against the mutation</h2>"]
    if not content["drug_activity"]:
        parts.append("<p>no qualifying ROS1 mutation: no mutation-specific drug activity to show</p>"
                     "</section>")
        return "".join(parts)
    drugs = list(drug_catalog.DRUGS)
    rows, classes = [], []
    for item in content["drug_activity"]:
        cells, css = [esc(item["mutation"]) + ("" if item["in_catalog"] else " (not in the catalog)")], [""]
        for row in item["drugs"]:
            sources = "".join(f"[{esc(s)}]" for s in row["sources"])
            text = esc(row["activity"])
            if row["level"]:
                text += f"<br><small>{esc(row['level'])} {sources}</small>"
            cells.append(text)
            css.append(ACTIVITY_CLASS[row["activity"]])
        rows.append(cells)
        classes.append(css)
    parts.append(table(["mutation"] + drugs, rows, raw=True, classes=classes))
    details = [f"<li>{esc(item['mutation'])}, {esc(row['drug'])}: {esc(row['detail'])}</li>"
               for item in content["drug_activity"] for row in item["drugs"] if row["detail"]]
    if details:
        parts.append(f"<ul class='note'>{''.join(details)}</ul>")
    parts.append("<p class='note'>From the bundled resistance catalog (resources/catalog); unknown = no "
                 "source found, never inferred.</p>")
    sources = "".join(f"<li>[{esc(s['id'])}] {esc(s['citation'])}</li>" for s in content["sources"])
    parts.append(f"<p><b>Sources</b></p><ul class='sources'>{sources}</ul></section>")
    return "".join(parts)


def page_html(content: dict, report_link: str = "../report.html") -> str:
    pid = esc(content["patient_id"])
    nav = "".join(f"<a href='#{a}'>{t}</a>" for a, t in (
        ("glance", "At a glance"), ("fusions", "Fusions"), ("variants", "Variants"),
        ("mechanism", "Mechanism"), ("drugs", "Drugs"), ("sheet", "Sheet")))
    body = "".join([
        f"<h1>Patient {pid}</h1>",
        f"<p class='ruo' id='ruo'>{esc(content['research_use'])}</p>",
        f"<nav><a href='{esc(report_link)}'>&larr; cohort report</a>{nav}</nav>",
        glance_section(content), fusion_section(content), variant_section(content),
        mechanism_section(content), drug_section(content), sheet_section(content),
        f"<p class='note'>Genome build {esc(content['genome_build'])}; ROS1 on {TRANSCRIPT}. "
        f"{esc(content['research_use'])}</p>"])
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>ros1trace: patient {pid}</title><style>{STYLE}</style></head>"
            f"<body>{body}</body></html>\n")


# -- stage -----------------------------------------------------------------------------------------
def _by_patient(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["patient_id"], []).append(row)
    return grouped


def write_pages(manifest: dict, tables_dir: Path, outdir: Path) -> list[str]:
    """Write every patient's page and JSON under ``outdir``; returns the patient ids."""
    config, build = manifest.get("config", {}), manifest.get("build", "GRCh38")
    patients = read_tsv(tables_dir / "patients.tsv")
    variants = _by_patient(read_tsv(tables_dir / "variants.tsv"))
    fusions = _by_patient(read_tsv(tables_dir / "fusions.tsv"))
    emergence = _by_patient(read_tsv(tables_dir / "emergence.tsv"))
    sheets = {p["patient_id"]: p for p in manifest.get("patients", [])}
    samples = _by_patient(manifest.get("samples", []))
    # Every page goes into a fresh folder beside ``outdir``, renamed into place at the end: a failed
    # job leaves no half-written set, and 20,000 files cost no per-file temporary dance.
    outdir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    try:
        for patient in patients:
            pid = patient["patient_id"]
            content = patient_content(patient, sheets.get(pid, {}), samples.get(pid, []),
                                      variants.get(pid, []), fusions.get(pid, []), emergence.get(pid, []),
                                      config, build)
            (building / f"{pid}.html").write_text(page_html(content), encoding="utf-8")
            (building / f"{pid}.json").write_text(json.dumps(content, sort_keys=True) + "\n",
                                                  encoding="utf-8")
        building.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; results are for everyone to read
        if outdir.exists():
            shutil.rmtree(outdir)
        building.rename(outdir)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return [p["patient_id"] for p in patients]


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
