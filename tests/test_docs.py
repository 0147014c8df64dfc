"""The documentation stands on its own: docs/ describes every output column, config key and figure,
links stay inside the repository and resolve, and the catalog files (.test config, catalog YAML,
LICENSE, CHANGELOG) are what the Snakemake workflow catalog expects."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_snakemake
from ros1trace import columns
from ros1trace.cohort.audit import AUDIT_COLUMNS
from ros1trace.cohort.figure_list import FIGURES
from ros1trace.cohort.study_power import POWER_COLUMNS
from ros1trace.cohort.study_stats import COMPARISON_COLUMNS, DISTRIBUTION_COLUMNS, RXC_COLUMNS
from ros1trace.cohort.survival import SURVIVAL_COLUMNS
from ros1trace.cohort.table1 import TABLE1_COLUMNS
from ros1trace.variants.maf import EXTRA_COLUMNS, VCF2MAF_COLUMNS

DOCS = REPO / "docs"
SCHEMAS = REPO / "workflow" / "schemas"
# Written in pieces so that this file does not match itself.
SHARED = "../" + "shared"
FORBIDDEN = ("CONTRACT" + ".md", "DESIGN" + ".md")
# Files that read the real-data folder beside the checkout on purpose (tests of real tools' output,
# the synthetic locus generator, and the provenance note of the real bases it reads).
READS_REAL_DATA = {
    "tests/real_data.py",
    "scripts/make_synthetic_locus.py",
    "tests/test_real_variant_outputs.py",
    "tests/test_real_fusion_outputs.py",
    "tests/test_fusion_properties.py",
    "resources/reference/SOURCES.md",
}
BINARY_SUFFIXES = {".gz", ".gzi", ".tbi", ".csi", ".bam", ".bai", ".png", ".bcf"}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def tracked_text_files() -> list[Path]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    files = []
    for name in filter(None, names.decode().split("\0")):
        path = REPO / name
        if path.is_file() and path.suffix not in BINARY_SUFFIXES:
            files.append(path)
    return files


def markdown_pages() -> list[Path]:
    return [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]


def section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/outputs.md has no section '## {heading}'"
    return match[1]


def slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(m[1]) for m in re.finditer(r"^#+ (.*)$", page.read_text(), re.M)}


def test_no_tracked_file_refers_to_the_contract_or_design_notes_outside_the_repository():
    offences = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        name = path.relative_to(REPO).as_posix()
        for number, line in enumerate(text.splitlines(), 1):
            outside = SHARED in line.replace(SHARED + "/real-data", "")
            real_data = SHARED + "/real-data" in line and name not in READS_REAL_DATA
            if outside or real_data or any(f in line for f in FORBIDDEN):
                offences.append(f"{name}:{number}: {line.strip()}")
    assert not offences, "cite docs/ instead:\n" + "\n".join(offences)


OUTPUT_TABLES = [
    ("`variants.tsv`", columns.VARIANTS),
    ("`fusions.tsv`", columns.FUSIONS),
    ("`emergence.tsv`", columns.EMERGENCE),
    ("`patients.tsv`", columns.PATIENTS),
    ("`stats/comparisons.tsv`", COMPARISON_COLUMNS),
    ("`stats/comparisons_rxc.tsv`", RXC_COLUMNS),
    ("`stats/table1.tsv`", TABLE1_COLUMNS),
    ("`stats/mutation_distribution.tsv`", DISTRIBUTION_COLUMNS),
    ("`stats/power.tsv`", POWER_COLUMNS),
    ("`stats/survival.tsv`", SURVIVAL_COLUMNS),
    ("`audit/reported_vs_recomputed.tsv`", AUDIT_COLUMNS),
]


@pytest.mark.parametrize(("heading", "names"), OUTPUT_TABLES, ids=[h.strip("`") for h, _ in OUTPUT_TABLES])
def test_every_column_of_an_output_table_is_described_in_its_section_of_outputs_md(heading, names):
    text = section((DOCS / "outputs.md").read_text(), heading)
    missing = [name for name in names if f"`{name}`" not in text]
    assert not missing, f"docs/outputs.md, {heading}: columns not described: {missing}"


def test_every_column_of_columns_py_is_named_in_outputs_md():
    text = (DOCS / "outputs.md").read_text()
    names = [*columns.VARIANTS, *columns.FUSIONS, *columns.EMERGENCE, *columns.PATIENTS]
    assert not [name for name in names if f"`{name}`" not in text]


def test_the_maf_section_names_the_columns_added_to_the_standard_maf():
    words = set(re.findall(r"[\w]+", section((DOCS / "outputs.md").read_text(), "`variants.maf`")))
    assert not [name for name in VCF2MAF_COLUMNS + EXTRA_COLUMNS if name not in words]


def test_every_file_a_rule_writes_is_listed_in_outputs_md():
    text = section((DOCS / "outputs.md").read_text(), "Files")
    rules = "\n".join(p.read_text() for p in sorted((REPO / "workflow" / "rules").glob("*.smk")))
    written = set(re.findall(r'f"\{OUT\}/([^"{]+?)(?:\{|")', rules))
    written = {w.rstrip("/") for w in written if not w.startswith(("logs/", "benchmarks/", "work/"))}
    missing = [w for w in sorted(written) if w not in text]
    assert not missing, f"docs/outputs.md, Files: not listed: {missing}"


def test_every_config_key_of_the_schema_is_in_inputs_md():
    schema = yaml.safe_load((SCHEMAS / "config.schema.yaml").read_text())
    text = section((DOCS / "inputs.md").read_text(), "Config keys")
    missing = [key for key in schema["properties"] if f"`{key}`" not in text]
    assert not missing, f"docs/inputs.md, Config keys: not described: {missing}"


@pytest.mark.parametrize(("sheet", "heading"), [("samples", "Sample sheet"), ("patients", "Patient sheet")])
def test_every_sheet_column_of_the_schema_is_in_inputs_md(sheet, heading):
    schema = yaml.safe_load((SCHEMAS / f"{sheet}.schema.yaml").read_text())
    text = section((DOCS / "inputs.md").read_text(), heading)
    missing = [column for column in schema["properties"] if f"`{column}`" not in text]
    assert not missing, f"docs/inputs.md, {heading}: columns not described: {missing}"


@pytest.mark.parametrize("figure", FIGURES)
def test_every_figure_has_its_page_linked_from_the_figure_index(figure):
    page = DOCS / "figures" / f"{figure}.md"
    assert page.is_file(), f"no page {page.relative_to(REPO)}"
    assert page.read_text().startswith(f"# `{figure}`")
    assert f"]({figure}.md)" in (DOCS / "figures" / "README.md").read_text()


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_points_to_a_file_inside_the_repository(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a web address, or an anchor in the page itself
        file_part, _, anchor = target.partition("#")
        path = (page.parent / file_part).resolve()
        if not path.is_relative_to(REPO) or not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and path.is_relative_to(DOCS) and anchor not in anchors(path):
            broken.append(target)
    assert not broken, f"{page.relative_to(REPO)}: links that do not resolve inside the repository: {broken}"


def test_docs_index_links_every_docs_page():
    index = (DOCS / "README.md").read_text()
    for page in ("inputs.md", "outputs.md", "methods.md", "figures/README.md"):
        assert f"]({page})" in index


def test_catalog_file_declares_usage_with_conda_and_report():
    usage = yaml.safe_load((REPO / ".snakemake-workflow-catalog.yml").read_text())["usage"]
    assert set(usage["mandatory-flags"]) == {"desc", "flags"}
    assert usage["software-stack-deployment"]["conda"] is True
    assert usage["report"] is True


def test_license_and_changelog_match_the_package():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] == "MIT"
    licence = (REPO / "LICENSE").read_text()
    assert licence.startswith("MIT License\n\nCopyright (c) 2026 the ros1trace authors")
    assert f"## {project['version']} " in (REPO / "CHANGELOG.md").read_text()


def test_test_config_passes_the_linter():
    result = run_snakemake("--lint", "--configfile", ".test/config/config.yaml", timeout=300)
    assert "Congratulations" in result.stdout + result.stderr


def test_test_config_dry_run_plans_the_whole_workflow_under_test_results():
    result = run_snakemake("-n", "--configfile", ".test/config/config.yaml", timeout=300)
    plan = result.stdout + result.stderr
    for rule in ("manifest", "variants", "fusions", "emergence", "tables", "stats", "figures", "report"):
        assert re.search(rf"^rule {rule}:$|^\s*{rule}\s+\d+$", plan, re.M), f"dry run plans no {rule} job"
    assert ".test/results/report.html" in plan
