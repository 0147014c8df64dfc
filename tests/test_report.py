"""report.html: one self-contained page with the cohort, tables, figures, methods and the excluded
patients; it renders offline in headless Chromium with the figures visible."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from cohort_tables import group, patient, run_figures, run_report, run_stats, write_cohort
from ros1trace.cohort import plots, report

CHROMIUM = Path("/usr/bin/chromium")


def cohort():
    patients = (group("E", 24, status="emergent", mutations="G2032R") + group("EN", 9)
                + group("I", 2, site="intracranial", status="emergent", mutations="L2026M")
                + group("IN", 9, site="intracranial", partner="SDC4")
                + [patient("NOPROG", site="both", status="indeterminate", n_progression_samples=0),
                   patient("THIN", site="both", status="indeterminate"),
                   patient("NOFUS", site="both", partner=None, fusion_note="no fusion call in any sample")])
    emergence = [{"patient_id": "THIN", "protein_change": "G2032R", "status": "indeterminate", "baseline_depth": 20,
                  "detection_power": 0.42, "progression_vaf": 0.05, "qualifying": True}]
    emergence += [{"patient_id": p["patient_id"], "protein_change": p["emergent_ros1_mutations"], "status": "emergent",
                   "progression_vaf": 0.2, "qualifying": True} for p in patients if p["emergent_ros1_mutations"]]
    return {"patients": patients, "emergence": emergence}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    paths = write_cohort(tmp_path_factory.mktemp("report"), cohort(), seed=99)
    run_stats(paths)
    run_figures(paths)
    return paths, run_report(paths)


def test_report_is_self_contained(built):
    _, path = built
    page = path.read_text()
    assert not re.search(r"https?://", page)
    assert "<link" not in page and "@import" not in page
    assert "src=" not in re.sub(r"src='data:[^']*'", "", page)
    # one inline script (the patient table) and its JSON data island, nothing loaded from elsewhere
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ["<script type='application/json' id='patient-data'>", "<script>"]
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == len(plots.FIGURES)
    assert all(s.startswith("data:image/png;base64,") for s in sources)


def test_report_shows_the_comparisons_tables_and_cohort(built):
    page = built[1].read_text()
    assert "24/33 (72.7%, 95% CI 55.8-84.9)" in page
    assert "2/11 (18.2%" in page
    for section in ("id='cohort'", "id='comparisons'", "id='rxc'", "id='distribution'", "id='table1'",
                    "id='figures'", "id='excluded'", "id='methods'"):
        assert section in page
    assert "fisher_freeman_halton" in page and "G2032R" in page


def test_excluded_and_indeterminate_patients_are_listed_with_their_reason(built):
    page = built[1].read_text()
    rows = {m[0]: m[1] for m in re.findall(r"<tr><td>(NOPROG|THIN|NOFUS)</td>(.*?)</tr>", page)}
    assert set(rows) == {"NOPROG", "THIN", "NOFUS"}
    assert "no progression sample" in rows["NOPROG"]
    assert "G2032R: baseline detection power 0.42 (needs 0.95), baseline depth 20" in rows["THIN"]
    assert "no ROS1 fusion found (no fusion call in any sample)" in rows["NOFUS"]
    assert "partner-group comparisons" in rows["NOFUS"] and "ROS1 mutation rates" in rows["THIN"]


def test_patient_table_comes_first_and_links_every_patient_to_its_page(built):
    page = built[1].read_text()
    assert page.index("id='patients-table'") < page.index("id='cohort'") < page.index("id='figures'")
    data = json.loads(re.search(r"id='patient-data'>(.*?)</script>", page)[1])
    assert len(data["rows"]) == len(cohort()["patients"]) and data["dir"] == "patients"
    assert "<td><a href='patients/E001.html'>E001</a></td>" in page  # the first page of rows, without JS
    [nofus] = [row for row in data["rows"] if row[0] == "NOFUS"]
    assert nofus[2] == "no fusion found" and nofus[3] == "no fusion"


def test_missing_values_are_words_not_blanks(built):
    page = built[1].read_text()
    assert "(empty)" not in page
    assert "no fusion found 1" in page  # the cohort counts


def test_tables_and_maf_are_linked_from_the_report(built):
    page = built[1].read_text()
    for name in ("variants.tsv", "fusions.tsv", "emergence.tsv", "patients.tsv", "variants.maf", "patients/"):
        assert f"<a href='{name}'>" in page, name


def test_methods_name_the_tests_thresholds_transcript_build_and_versions(built):
    page = built[1].read_text()
    for text in ("NM_002944.2", "ENST00000368508", "P08922", "Wilson", "Fisher's exact test", "Yates",
                 "Fisher-Freeman-Halton", "Kruskal-Wallis", "Genome build GRCh38", "seed 99", "min_power"):
        assert text in page, text
    assert re.search(r"<td>scipy</td><td>\d+\.\d+", page)


def test_reruns_differ_only_in_the_run_time_line(built):
    paths, path = built
    first = path.read_text()
    second = run_report(paths).read_text()
    strip = re.compile(r"<p class='run'>[^<]*</p>")
    assert strip.sub("", first) == strip.sub("", second)
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by ros1trace", first)


def test_missing_figures_are_reported_not_fatal(tmp_path):
    paths = write_cohort(tmp_path, {"patients": [patient("A")]})
    page = run_report(paths).read_text()
    assert page.count("is missing") == len(plots.FIGURES)


def test_table_cells_are_html_escaped():
    assert "&lt;b&gt;" in report.table_html(["x"], [["<b>"]])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_headless_chromium_renders_the_figures_offline(built, tmp_path):
    _, path = built
    shot = tmp_path / "shot.png"
    width, height = 1400, 4500  # down to the figures, below the patient table
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={shot}", path.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=90)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    pixels = image.imread(shot)[:, :, :3]
    assert pixels.shape[:2] == (height, width)
    rgb24 = (pixels * 255).astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)
    assert len(np.unique(rgb24)) > 100  # not blank: text, tables and figures
    # The figures' Okabe-Ito fills (vermillion bars of Fig. 2a, orange / sky-blue site bars of Fig. 2b)
    # can only be on screen if the inlined PNGs were decoded and drawn.
    for colour in (plots.VERMILLION, plots.ORANGE, plots.SKY):
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
        drawn = (np.abs(pixels - rgb).max(axis=2) < 0.03).sum()
        assert drawn > 8000, colour  # pixels: a bar, not a stray anti-aliased edge
