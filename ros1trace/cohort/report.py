"""``report.html``, one self-contained page of the run's results (for stage ``report``).

Sections: the patient table (sortable, filterable, each row linking to ``patients/<id>.html``),
cohort summary (and the run's warnings), the 2x2 comparisons, the figures, the r x c
tests, the mutation distribution, the baseline table, the patients left out of rates or partner
comparisons with the reason, and the methods actually used (tests, thresholds from the run's
config, transcript, build, reference, software versions).

Self-contained: figures are the stage's PNGs inlined as ``data:`` URIs, the style sheet and the
patient table's small script are inline, nothing is fetched from another host, so the page renders
the same offline, mailed, or archived; the only links are relative ones to the run's own files
(tables, MAF, patient pages) beside it.  Everything shown is read from the run's tables; the only line that
changes between reruns is the run-time line at the top.
"""

from __future__ import annotations

import base64
import html
import json
import platform
import struct
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..reference.transcript import ENSEMBL_TRANSCRIPT, KINASE_DOMAIN, PROTEIN_ACCESSION, TRANSCRIPT, protein
from ..tsv import format_value, read_tsv
from . import methods  # the method constants, without importing scipy
from .figure_list import CAPTIONS, FIGURES
from .report_audit import audit_section, power_section, survival_section
from .report_patients import STYLE as PATIENT_TABLE_STYLE
from .report_patients import patients_section

TABLES = {"patients": "patients.tsv", "emergence": "emergence.tsv", "comparisons": "stats/comparisons.tsv",
          "rxc": "stats/comparisons_rxc.tsv", "table1": "stats/table1.tsv",
          "distribution": "stats/mutation_distribution.tsv", "power": "stats/power.tsv",
          "survival": "stats/survival.tsv", "audit": "audit/reported_vs_recomputed.tsv"}
RATED = ("emergent", "pre_existing", "none")
PACKAGES = ("scipy", "numpy", "matplotlib", "snakemake", "jsonschema", "pyyaml", "cyvcf2", "pysam")
STYLE = """
body{padding:0 16px;font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1400px;
color:#222;font-size:14px}
h1{font-size:24px;margin-bottom:4px}h2{border-bottom:2px solid #0072B2;padding-bottom:3px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:12px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num{text-align:right}tr.best td{background:#fff4e0}
.run{color:#666;font-size:12px}.note{color:#555;font-size:12px}
figure{margin:12px 0 28px}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:12px;color:#444;margin-top:4px}
nav a{margin-right:12px}
"""


def esc(value) -> str:
    return html.escape(str(value if value is not None else ""))


def table_html(header: list[str], rows: list[list], classes: list[str] | None = None) -> str:
    """An HTML table; cells are escaped; ``classes`` gives a class per row."""
    if not rows:
        return '<p class="note">(no rows)</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        css = f' class="{classes[i]}"' if classes and classes[i] else ""
        body.append(f"<tr{css}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def load_tables(tables_dir: Path) -> dict[str, list[dict]]:
    return {key: read_tsv(tables_dir / name) if (tables_dir / name).exists() else []
            for key, name in TABLES.items()}


# -- sections --------------------------------------------------------------------------------------
MISSING_WORDS = {"fusion_partner": "no fusion found", "partner_group": "no fusion found"}


def count_line(patients: list[dict], column: str) -> str:
    counts: dict[str, int] = {}
    missing = MISSING_WORDS.get(column, "not given")  # a missing value is said in words
    for p in patients:
        value = p.get(column) or missing
        value = missing if column == "partner_group" and value == "none" else value
        counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{value} {n}" for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_section(tables: dict, manifest: dict) -> str:
    patients = tables["patients"]
    lines = [("patients", len(patients))] + [
        (label, count_line(patients, column) or "-") for label, column in (
            ("progression site", "progression_site"), ("partner group", "partner_group"),
            ("fusion partner", "fusion_partner"), ("ROS1 mutation status", "ros1_mutation_status"),
            ("resistance mechanism", "resistance_mechanism"), ("multiple fusions", "multiple_fusions"))]
    warnings = manifest.get("warnings", [])
    listed = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return ("<h2 id='cohort'>Cohort</h2>" + table_html(["", "patients"], [list(line) for line in lines])
            + (f"<p>Warnings of the run:</p><ul>{listed}</ul>" if warnings else ""))


def rate_text(row: dict, side: str) -> str:
    if not row.get(f"n_{side}") or row[f"n_{side}"] == "0":
        return "0/0"
    return (f"{row[f'k_{side}']}/{row[f'n_{side}']} ({row[f'pct_{side}']}%, "
            f"95% CI {row[f'ci_low_{side}']}-{row[f'ci_high_{side}']})")


def comparisons_section(rows: list[dict]) -> str:
    body = [[r["comparison"], r["group_a"], rate_text(r, "a"), r["group_b"], rate_text(r, "b"), r["test"],
             r["statistic"], r["p_value"], "yes" if r.get("recommended") == "true" else "", r.get("note", "")]
            for r in rows]
    classes = ["best" if r.get("recommended") == "true" else "" for r in rows]
    return ("<h2 id='comparisons'>Comparisons (2 x 2)</h2><p class='note'>Rates: patients with an emergent "
            "ROS1 mutation (or intracranial progression) over those assessable; Wilson 95% CIs. The "
            "recommended test (highlighted) is Fisher's exact test when an expected count is below "
            f"{methods.MIN_EXPECTED}, else Pearson's chi-square; all three are shown.</p>"
            + table_html(["comparison", "group a", "a: k/n (%)", "group b", "b: k/n (%)", "test", "statistic",
                          "p", "recommended", "note"], body, classes))


def rxc_section(rows: list[dict]) -> str:
    body = [[r["comparison"], r["rows"], r["columns"], r["counts"], r["test"], r["statistic"], r["p_value"],
             r.get("method", ""), r.get("note", "")] for r in rows]
    classes = ["best" if r.get("recommended") == "true" else "" for r in rows]
    return ("<h2 id='rxc'>Comparisons (r x c)</h2>"
            + table_html(["comparison", "rows", "columns", "counts", "test", "statistic", "p", "method",
                          "note"], body, classes))


def distribution_section(rows: list[dict]) -> str:
    sites = ("extracranial", "intracranial", "both")
    body = [[r["protein_change"], f"{r['n_patients']} ({r['pct_patients'] or '-'}%)"]
            + [f"{r.get(f'n_{s}', '')} ({r.get(f'pct_{s}') or '-'}%)" for s in sites] for r in rows]
    return ("<h2 id='distribution'>Mutation distribution</h2><p class='note'>Percent of every patient in "
            "patients.tsv (per site: of the site's patients).</p>"
            + table_html(["protein change", "all patients"] + list(sites), body))


def table1_section(rows: list[dict]) -> str:
    sites = ("extracranial", "intracranial", "both")

    def cell(row: dict, suffix: str) -> str:
        if row.get("value" + suffix, "") != "" or row["level"] in ("median", "min", "max"):
            return row.get("value" + suffix, "") or "-"
        n, pct = row.get("n" + suffix, ""), row.get("pct" + suffix, "")
        return f"{n} ({pct}%)" if pct != "" else n

    body, previous = [], None
    for row in rows:
        first = row["characteristic"] != previous  # the test is printed once per characteristic
        previous = row["characteristic"]
        body.append([row["characteristic"] if first else "", row["level"], cell(row, "")]
                    + [cell(row, f"_{s}") for s in sites]
                    + [row.get("p_value", "") if first else "", row.get("test", "") if first else ""])
    return ("<h2 id='table1'>Baseline characteristics</h2>"
            + table_html(["characteristic", "level", "all"] + list(sites) + ["p", "test"], body))


def exclusion_reasons(patient: dict, emergence: list[dict], min_power) -> list[str]:
    """Why a patient is indeterminate or not assessable, from the tables."""
    reasons = []
    if patient.get("n_progression_samples") == "0":
        reasons.append("no progression sample")
    if patient.get("n_baseline_samples") == "0":
        reasons.append("no baseline sample")
    else:  # a baseline was sequenced: name the variants it could not rule out
        for row in emergence:
            if row.get("patient_id") == patient["patient_id"] and row.get("status") == "indeterminate":
                power = row.get("detection_power") or "not computed"
                change = row.get("protein_change") or row.get("hgvs_c")
                reasons.append(f"{change}: baseline detection power {power} (needs {min_power}), "
                               f"baseline depth {row.get('baseline_depth') or 'unknown'}")
    if patient.get("partner_group") == "none":
        note = f" ({patient['fusion_note']})" if patient.get("fusion_note") else ""
        reasons.append("no ROS1 fusion found" + note)
    if patient.get("notes"):
        reasons.append(patient["notes"])
    return reasons


def excluded_section(tables: dict, min_power) -> str:
    # each patient's indeterminate rows, gathered once: scanning every row per patient was quadratic
    indeterminate: dict[str, list[dict]] = {}
    for row in tables["emergence"]:
        if row.get("status") == "indeterminate":
            indeterminate.setdefault(row.get("patient_id"), []).append(row)
    body = []
    for patient in tables["patients"]:
        left_out = []
        if patient.get("ros1_mutation_status") not in RATED:
            left_out.append("ROS1 mutation rates")
        if patient.get("partner_group") not in ("CD74", "non-CD74"):
            left_out.append("partner-group comparisons")
        if patient.get("resistance_mechanism") == "not_assessable" and not left_out:
            left_out.append("mechanism (not assessable)")
        if left_out:
            body.append([patient["patient_id"], patient.get("progression_site", ""),
                         patient.get("ros1_mutation_status", ""), patient.get("resistance_mechanism", ""),
                         "; ".join(left_out),
                         "; ".join(exclusion_reasons(patient, indeterminate.get(patient["patient_id"], []),
                                                     min_power)) or "-"])
    return ("<h2 id='excluded'>Excluded and indeterminate patients</h2>"
            f"<p class='note'>{len(body)} of {len(tables['patients'])} patients are left out of some "
            "analysis.</p>"
            + table_html(["patient", "progression site", "ROS1 mutation status", "mechanism", "left out of",
                          "reason"], body))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


def figures_section(figures_dir: Path) -> str:
    parts = ["<h2 id='figures'>Figures</h2>"]
    for name in FIGURES:
        path = figures_dir / f"{name}.png"
        if not path.exists():
            parts.append(f"<p class='note'>figure {esc(name)} is missing</p>")
            continue
        data = path.read_bytes()
        width, height = png_size(data)
        encoded = base64.b64encode(data).decode("ascii")
        caption = esc(CAPTIONS[name])
        parts.append(f"<figure id='fig-{name}'><img alt='{caption}' width='{width}' height='{height}' "
                     f"src='data:image/png;base64,{encoded}'><figcaption><b>{esc(name)}</b>: {caption} "
                     "(SVG and PNG in figures/)</figcaption></figure>")
    return "".join(parts)


def versions() -> list[list[str]]:
    rows = [["ros1trace", __version__], ["python", platform.python_version()]]
    for package in PACKAGES:
        try:
            rows.append([package, metadata.version(package)])
        except metadata.PackageNotFoundError:
            rows.append([package, "not installed"])
    return rows


def methods_section(manifest: dict) -> str:
    config = manifest.get("config", {})
    reference = manifest.get("reference_fasta", config.get("reference_fasta", ""))
    synthetic = " (the bundled SYNTHETIC locus)" if "synthetic" in str(reference).lower() else ""
    settings = [[key, json.dumps(value) if isinstance(value, (list, dict)) else format_value(value)]
                for key, value in sorted(config.items())]
    text = f"""
<h2 id='methods'>Methods</h2>
<ul>
<li>Transcript {TRANSCRIPT} ({ENSEMBL_TRANSCRIPT}), protein {PROTEIN_ACCESSION} ({len(protein())} aa; the
literature's numbering, not MANE); kinase domain Pfam PF07714 residues {KINASE_DOMAIN[0]}-{KINASE_DOMAIN[1]}.
Genome build {esc(manifest.get('build', config.get('genome_build', '')))}; reference FASTA
{esc(reference)}{synthetic}.</li>
<li>A call needs at least {esc(config.get('min_alt_reads'))} alternate reads (or the genotype) and the
FILTER policy {esc(config.get('filter_policy'))}; a progression mutation is <i>emergent</i> when the
baseline had a detection power of at least {esc(config.get('min_power'))} at the progression VAF and did
not show it, else indeterminate.</li>
<li>Rates: patients with ros1_mutation_status emergent over emergent + pre_existing + none (indeterminate
patients are excluded, not counted as negative); 95% CIs by the Wilson score method.</li>
<li>2 x 2 tables: Fisher's exact test (two-sided; statistic = sample odds ratio), Pearson's chi-square and
Yates-corrected chi-square, side by side; Fisher's is recommended when any expected count is below
{methods.MIN_EXPECTED} (the study's p = 0.337 for 19/27 vs 9/17 is Fisher's, though it says chi-square).</li>
<li>r x c tables and categorical baseline characteristics: Pearson's chi-square and the
Fisher-Freeman-Halton test (exact enumeration up to {methods.MAX_EXACT_TABLES:,} tables, else Monte-Carlo
with {methods.MONTE_CARLO_RESAMPLES:,} tables drawn with seed {esc(config.get('seed'))}); baseline
characteristics use the recommended one. Age and other numeric columns: median (range) and
Kruskal-Wallis.</li>
<li>Undefined tests (a group or outcome with no patients) are left empty with a note.</li>
</ul>
<h3>Run settings</h3>{table_html(['config key', 'value'], settings)}
<h3>Software</h3>{table_html(['software', 'version'], versions())}
"""
    return text


FILES = (  # the run's files a reader can open from the report (relative to report.html)
    ("patients.tsv", "one row per patient: fusion, mutations, status, mechanism"),
    ("variants.tsv", "every ROS1 variant in every sample, annotated"),
    ("fusions.tsv", "every ROS1 fusion call: partner, 5'/3', breakpoint exons, kinase kept, support"),
    ("emergence.tsv", "per patient and variant: emergent / pre-existing / lost / indeterminate, detection "
                      "power"),
    ("variants.maf", "the variants as a GDC/vcf2maf-style MAF"),
    ("stats/comparisons.tsv", "the 2 x 2 comparisons"),
    ("stats/comparisons_rxc.tsv", "the r x c comparisons"),
    ("stats/table1.tsv", "baseline characteristics"), ("stats/mutation_distribution.tsv", "Fig. 2a's table"),
    ("stats/power.tsv", "the power of each 2 x 2 comparison and the n per group for 80%"),
    ("patients/", "one page (HTML) and one JSON per patient"), ("figures/", "every figure as PNG and SVG"),
)


def files_section(tables: dict) -> str:
    counts = {"patients.tsv": len(tables["patients"]), "emergence.tsv": len(tables["emergence"])}
    rows = "".join(f"<tr><td><a href='{esc(name)}'>{esc(name)}</a></td><td>{esc(text)}</td>"
                   f"<td class='num'>{counts[name] if name in counts else ''}</td></tr>"
                   for name, text in FILES)
    return ("<h2 id='files'>Tables and files</h2><p class='note'>The run's tables beside this report (open "
            "them from the output folder; tab-separated, empty = missing).</p><table><thead><tr><th>file</th>"
            f"<th>content</th><th>rows</th></tr></thead><tbody>{rows}</tbody></table>")


def build_html(manifest: dict, tables: dict, figures_dir: Path, generated: str) -> str:
    config = manifest.get("config", {})
    nav = "".join(f"<a href='#{a}'>{t}</a>" for a, t in (
        ("patients-table", "Patients"), ("cohort", "Cohort"), ("comparisons", "Comparisons"),
        ("figures", "Figures"), ("rxc", "r x c"),
        ("distribution", "Mutations"), ("table1", "Baseline"), ("excluded", "Excluded"),
        *((a, t) for a, t, key in (("audit", "Audit", "audit"), ("power", "Power", "power"),
                                   ("survival", "Survival", "survival")) if tables[key]),
        ("files", "Files"), ("methods", "Methods")))
    body = "".join([
        f"<h1>ros1trace report</h1><p class='run'>{esc(generated)}</p><nav>{nav}</nav>",
        patients_section(tables["patients"]),
        summary_section(tables, manifest),
        comparisons_section(tables["comparisons"]),
        audit_section(tables["audit"]),
        power_section(tables["power"]),
        figures_section(figures_dir),
        rxc_section(tables["rxc"]),
        distribution_section(tables["distribution"]),
        table1_section(tables["table1"]),
        excluded_section(tables, config.get("min_power")),
        files_section(tables),
        survival_section(tables["survival"], figures_dir),
        methods_section(manifest),
    ])
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>ros1trace report</title>"
            f"<style>{STYLE}{PATIENT_TABLE_STYLE}</style></head><body>{body}</body></html>\n")
