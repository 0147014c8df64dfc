"""The report and the patient pages of the bundled example, as readers get them: rendered by Debian's
headless Chromium (every patient page, and printed to A4 PDF), driven by Selenium (sort, filter and
follow a link in the patient table), and packed by ``snakemake --report`` without a warning.

Screenshots are kept under the test's temporary folder (``report.png``, ``patient_<id>.png``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from conftest import run_snakemake
from ros1trace.tsv import read_tsv

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="needs Debian chromium at /usr/bin/chromium")
PAGE_SECTIONS = ("id='glance'", "id='fusions'", "id='variants'", "id='mechanism'", "id='drugs'", "id='sheet'",
                 "id='ruo'")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("browser") / "results"
    run_snakemake("--config", f"outdir={outdir}")
    return outdir


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--hide-scrollbars", *arguments]
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def distinct_colours(path: Path) -> int:
    pixels = (image.imread(path)[:, :, :3] * 255).astype(np.uint32)
    return len(np.unique(pixels @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)))


def test_every_patient_gets_a_page_and_a_json(example):
    assert (example / "logs" / "patient_pages" / "patient_pages.log").exists()
    assert (example / "benchmarks" / "patient_pages" / "patient_pages.tsv").exists()
    ids = [row["patient_id"] for row in read_tsv(example / "patients.tsv")]
    assert sorted(p.name for p in (example / "patients").iterdir() if not p.name.startswith(".")) == sorted(
        f"{i}.{suffix}" for i in ids for suffix in ("html", "json"))


@needs_chromium
def test_every_patient_page_renders_in_headless_chromium_with_its_sections(example, tmp_path):
    for page in sorted((example / "patients").glob("*.html")):
        dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
        for section in PAGE_SECTIONS:
            assert section.replace("'", '"') in dom, (page.name, section)
        shot = tmp_path / f"patient_{page.stem}.png"
        chromium(tmp_path, "--window-size=1000,1800", f"--screenshot={shot}", page.as_uri())
        assert distinct_colours(shot) > 50, page.name  # not blank: text, tables, drawings


@needs_chromium
def test_a_patient_page_prints_on_at_most_two_a4_pages(example, tmp_path):
    # the G2032R patient, and the page with the most content of the example
    pages = {example / "patients" / "P01.html",
             max((example / "patients").glob("*.html"), key=lambda p: p.stat().st_size)}
    for page in pages:
        pdf = tmp_path / f"{page.stem}.pdf"
        chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        data = pdf.read_bytes()
        count = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
        assert 1 <= count <= 2, (page.name, count)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)  # A4 in pt


def test_g2032r_patient_page_lists_the_next_line_drugs_from_the_catalog(example):
    page = (example / "patients" / "P01.html").read_text()
    drugs = page.split("id='drugs'", 1)[1]
    header = re.findall(r"<th>([^<]*)</th>", drugs.split("</thead>", 1)[0])
    row = re.search(r"<tr><td[^>]*>G2032R</td>(.*?)</tr>", drugs)[1]
    texts = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    cells = dict(zip(header[1:], texts))
    assert cells["repotrectinib"] == ["active", "clinical", "[6]"]
    assert cells["taletrectinib"] == ["active", "clinical", "[7]"]
    assert cells["lorlatinib"][0] == "partial"
    assert re.search(r"<li>\[6\] TRIDENT-1", drugs) and re.search(r"<li>\[7\] Pooled TRUST-I/II", drugs)


def test_snakemake_report_is_clean_and_holds_tables_maf_and_patient_pages(example, tmp_path):
    out = tmp_path / "snakemake_report.html"
    result = run_snakemake("--config", f"outdir={example}", "--report", str(out))
    # the run's own data warnings (the example's P11 has no samples) are the workflow's, printed on
    # every start and listed in the report; nothing else may warn
    lines = [line for line in result.stderr.splitlines() if not line.startswith("ros1trace: warning:")]
    assert not [line for line in lines if re.search(r"warn|error", line, re.IGNORECASE)], result.stderr
    page = out.read_text()
    for name in ("Cohort tables", "Statistical tests", "Figures", "Patient pages", "variants.maf",
                 "variants.tsv", "fusions.tsv", "emergence.tsv", "patients.tsv", "P01.html"):
        assert name in page, name


@pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="needs Debian chromium-driver (make installs it)")
def test_patient_table_sorts_filters_and_links_to_a_patient_page(example, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
                     f"--user-data-dir={tmp_path / 'selenium-profile'}", "--window-size=1400,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.get((example / "report.html").as_uri())
        driver.save_screenshot(str(tmp_path / "report.png"))

        def column(index: int) -> list[str]:
            return [row.find_elements(By.TAG_NAME, "td")[index].text
                    for row in driver.find_elements(By.CSS_SELECTOR, "#patients tbody tr")]

        ids = column(0)
        assert ids == sorted(ids) and len(ids) == 11
        headers = driver.find_elements(By.CSS_SELECTOR, "#patients th.sort")
        headers[0].click()
        headers[0].click()  # twice: descending
        assert column(0) == sorted(ids, reverse=True)
        headers[7].click()  # ROS1 mutation status, ascending
        assert column(7) == sorted(column(7))
        status_filter = driver.find_elements(By.CSS_SELECTOR, "#patients thead input")[7]
        status_filter.send_keys("emergent")
        assert set(column(7)) == {"emergent"} and len(column(0)) == 4
        assert driver.find_element(By.ID, "patients-info").text.startswith("4 of 11 patients")
        partner_filter = driver.find_elements(By.CSS_SELECTOR, "#patients thead input")[2]
        partner_filter.send_keys("sdc4")  # case-insensitive
        assert column(0) == ["P02"]
        driver.find_element(By.LINK_TEXT, "P02").click()
        assert driver.current_url.endswith("/patients/P02.html")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Patient P02"
        assert "G2032K" in driver.find_element(By.ID, "variants").find_element(By.XPATH, "..").text
    finally:
        driver.quit()
