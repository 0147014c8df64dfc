"""Size and load time of the cohort report, and the patient pages' cost, at 10,000 patients.

Builds a study-like cohort of N patients (tests/cohort_tables.py), runs the stats, figures,
patient-pages and report stages in process, then opens report.html in Debian's headless Chromium
through Selenium and reads the browser's own navigation timing (DOMContentLoaded, load), then
times a sort and a filter of the patient table.

    .venv/bin/python scripts/bench_report.py [--patients 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from cohort_tables import random_cohort, run_figures, run_report, run_stats, write_cohort  # noqa: E402

from ros1trace.cohort import patient_pages  # noqa: E402
from ros1trace.manifest import load  # noqa: E402


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def browser_timing(report: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        for attempt in range(3):
            driver.get(report.as_uri())
            timing = driver.execute_script(
                "const t=performance.getEntriesByType('navigation')[0];"
                "return [t.domContentLoadedEventEnd, t.loadEventEnd];")
            print(f"load {attempt + 1}: DOMContentLoaded {timing[0]:.0f} ms, load {timing[1]:.0f} ms")
        header = driver.find_elements(By.CSS_SELECTOR, "#patients th.sort")[7]
        started = time.perf_counter()
        header.click()
        driver.find_elements(By.CSS_SELECTOR, "#patients tbody tr")
        elapsed = (time.perf_counter() - started) * 1000
        print(f"sort by status (round trip through WebDriver): {elapsed:.0f} ms")
        box = driver.find_elements(By.CSS_SELECTOR, "#patients thead input")[2]
        started = time.perf_counter()
        box.send_keys("SDC4")
        print(f"filter 'SDC4' typed key by key (4 filters): {(time.perf_counter() - started) * 1000:.0f} ms, "
              f"{driver.find_element(By.ID, 'patients-info').text}")
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--keep", help="build here instead of a temporary folder")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench_report_"))
    paths = write_cohort(folder, random_cohort(args.patients))
    timed("stats", lambda: run_stats(paths))
    timed("figures", lambda: run_figures(paths))
    timed("patient pages",
          lambda: patient_pages.write_pages(load(paths["manifest"]), folder, folder / "patients"))
    report = timed("report", lambda: run_report(paths))
    pages = list((folder / "patients").glob("*.html"))
    print(f"report.html: {report.stat().st_size / 1e6:.2f} MB; patient pages: {len(pages)}, "
          f"{sum(p.stat().st_size for p in pages) / len(pages) / 1e3:.1f} kB each on average")
    browser_timing(report)


if __name__ == "__main__":
    main()
