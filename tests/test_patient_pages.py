"""Patient pages: one self-contained HTML page and one JSON per patient, with the fusion drawn,
every ROS1 variant with its certainty, and the catalog's drug activity (never guessed)."""

import json
import re

import pytest

from cohort_tables import patient, write_cohort
from ros1trace.cohort import patient_pages
from ros1trace.fusions import drawing as fusion_drawing
from ros1trace.manifest import load
from ros1trace.reference import catalog


def _fusion(pid, gene5="CD74", gene3="ROS1", partner="CD74", ros1="intron 33", other="intron 6",
            cls="canonical", kinase=True, sample="B", timepoint="baseline", support=12):
    return {"patient_id": pid, "sample_id": f"{pid}_{sample}", "timepoint": timepoint, "gene5": gene5,
            "gene3": gene3, "partner": partner, "fusion_class": cls, "ros1_breakpoint": ros1,
            "kinase_retained": kinase, "support": support, "partner_breakpoint": other,
            "event_id": f"{gene5}::{gene3}", "source_format": "arriba"}


def cohort():
    patients = [
        patient("G1", status="emergent", mutations="G2032R"),
        patient("NOVEL", status="emergent", mutations="G1971E"),
        patient("NOFUS", partner=None, fusion_note="no fusion call in any sample", notes="a note of the run"),
        patient("FIVE", status="none", multiple_fusions=True, five_prime_ros1_partners="MRAS",
                resistance_mechanism="off_target", off_target_alterations="MET amplification (CN 9)"),
    ]
    emergence = [
        {"patient_id": "G1", "protein_change": "G2032R", "hgvs_c": "c.6094G>A", "status": "emergent",
         "baseline_vaf": 0, "baseline_depth": 1913, "baseline_alt_reads": 0, "progression_vaf": 0.05,
         "detection_power": 0.9991, "qualifying": True, "baseline_evidence": "G1_B:bam", "chrom": "chr6",
         "pos": 117317184},
        {"patient_id": "NOVEL", "protein_change": "G1971E", "hgvs_c": "c.5912G>A", "status": "emergent",
         "baseline_depth": 500, "progression_vaf": 0.2, "detection_power": 1, "qualifying": True,
         "baseline_evidence": "NOVEL_B:sheet_depth", "chrom": "chr6", "pos": 117318280},
    ]
    variants = [{"patient_id": "G1", "sample_id": "G1_P", "timepoint": "progression", "sample_type": "plasma",
                 "chrom": "chr6", "pos": 117317184, "ref": "C", "alt": "T", "hgvs_c": "c.6094G>A",
                 "hgvs_p": "p.Gly2032Arg", "protein_change": "G2032R", "consequence": "missense_variant",
                 "vaf": 0.05, "depth": 2400, "alt_reads": 120, "filter": "PASS", "called": True, "exon": 38}]
    fusions = [_fusion("G1"), _fusion("G1", sample="P", timepoint="progression", support=30),
               _fusion("FIVE"), _fusion("FIVE", gene5="ROS1", gene3="MRAS", partner="MRAS", other="intron 1",
                                        cls="five_prime_ros1", kinase=False),
               _fusion("NOVEL", partner="SDC4", gene5="SDC4", other="intron 2", ros1="intron 31")]
    clinical = [{"patient_id": "G1", "progression_site": "extracranial",
                 "extra": {"age": 51.0, "sex": "female", "ecog": "1"}}]
    return {"patients": patients, "emergence": emergence, "variants": variants, "fusions": fusions,
            "clinical": clinical}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    paths = write_cohort(folder, cohort())
    outdir = folder / "patients"
    ids = patient_pages.write_pages(load(paths["manifest"]), folder, outdir)
    return outdir, ids


def drug_cells(page: str, mutation: str) -> dict[str, str]:
    """drug -> the text of its cell in the row of ``mutation`` of the drug table."""
    section = page.split("id='drugs'", 1)[1]
    header = re.findall(r"<th>([^<]*)</th>", section.split("</thead>", 1)[0])
    row = re.search(rf"<tr><td[^>]*>{mutation}[^<]*</td>(.*?)</tr>", section)[1]
    cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return {drug: " ".join(cell) for drug, cell in zip(header[1:], cells)}


def test_every_patient_gets_a_page_and_a_json(pages):
    outdir, ids = pages
    assert ids == ["G1", "NOVEL", "NOFUS", "FIVE"]
    expected = sorted(f"{i}.{suffix}" for i in ids for suffix in ("html", "json"))
    assert sorted(p.name for p in outdir.iterdir()) == expected


def test_g2032r_drug_table_lists_next_line_drugs_with_their_level_and_sources(pages):
    page = (pages[0] / "G1.html").read_text()
    cells = drug_cells(page, "G2032R")
    assert cells["repotrectinib"] == "active clinical [6]"
    assert cells["taletrectinib"] == "active clinical [7]"
    assert cells["lorlatinib"].startswith("partial preclinical")
    assert cells["crizotinib"].startswith("resistant clinical")
    assert cells["ceritinib"] == "unknown"  # the catalog has no source: shown unknown, not guessed
    for number in ("6", "7", "5"):  # each cited source is listed with its citation
        assert re.search(rf"<li>\[{number}\] \w", page)


def test_drug_cells_are_the_catalogs_and_empty_cells_are_unknown(pages):
    content = json.loads((pages[0] / "G1.json").read_text())
    [g2032r] = content["drug_activity"]
    entry = catalog.catalog()["G2032R"]
    for row in g2032r["drugs"]:
        expected = catalog.ACTIVITY_WORDS.get(entry.drugs.get(row["drug"], ""), "unknown")
        assert row["activity"] == expected, row
        assert bool(row["sources"]) == (expected != "unknown")
    novel = json.loads((pages[0] / "NOVEL.json").read_text())["drug_activity"]
    assert novel[0]["mutation"] == "G1971E" and not novel[0]["in_catalog"]
    assert {row["activity"] for row in novel[0]["drugs"]} == {"unknown"}


def test_detection_power_is_stated_in_words(pages):
    page = (pages[0] / "G1.html").read_text()
    assert ("baseline depth 1,913 (reads counted in the baseline BAM): a clone at the progression VAF 0.05 "
            "would have been seen (at least 3 reads) with probability 0.999") in page


def test_page_shows_the_fusion_drawing_with_the_kept_exons_and_kinase_domain(pages):
    page = (pages[0] / "G1.html").read_text()
    assert "CD74 exons 1-6" in page and "ROS1 exons 34-43" in page and "kinase domain (exons 36-42)" in page
    assert "G1_B (baseline, arriba): 12 reads; G1_P (progression, arriba): 30 reads" in page


def test_a_five_prime_ros1_fusion_is_drawn_without_the_kinase_domain(pages):
    page = (pages[0] / "FIVE.html").read_text()
    assert "ROS1 exons 1-33" in page and "MRAS exons 2-" in page
    assert "ROS1 kinase domain not in the fused transcript" in page
    assert "MET amplification (CN 9)" in page


def test_missing_values_are_words(pages):
    page = (pages[0] / "NOFUS.html").read_text()
    assert "no fusion found: no fusion call in any sample" in page
    assert "no ROS1 variant in any sample" in page
    assert "(empty)" not in page
    assert "<td>Notes</td><td>a note of the run</td>" in page


def test_page_is_self_contained_and_says_research_use_only(pages):
    for path in pages[0].glob("*.html"):
        page = path.read_text()
        assert "Research use only. Not a clinical report" in page
        assert not re.search(r"(src|href)=['\"]https?://", page) and "<script" not in page
        assert "@page{size:A4" in page and "@media print" in page


def test_json_holds_the_pages_content(pages):
    content = json.loads((pages[0] / "G1.json").read_text())
    assert content["patient_id"] == "G1" and content["sheet"]["ecog"] == "1"
    assert content["fusions"][0]["breakpoint5"] == "intron 6" and content["fusions"][0]["kinase_retained"]
    [variant] = content["variants"]
    assert variant["status"] == "emergent" and variant["baseline"]["depth"] == 1913
    assert [s["sample_id"] for s in variant["samples"]] == ["G1_P"]


def test_pages_are_byte_identical_on_rerun(pages, tmp_path):
    outdir, _ = pages
    again = tmp_path / "again"
    paths = write_cohort(tmp_path, cohort())
    patient_pages.write_pages(load(paths["manifest"]), tmp_path, again)
    for path in outdir.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


@pytest.mark.parametrize("label,five_prime,expected", [
    ("intron 6", True, [1, 2, 3, 4, 5, 6]),
    ("intron 6", False, [7, 8, 9]),
    ("exon 6", False, [6, 7, 8, 9]),  # a break inside an exon: both sides keep part of it
    ("upstream of exon 1", False, list(range(1, 10))),
    ("downstream of exon 9", True, list(range(1, 10))),
    ("", True, None),
    ("chr5:123", False, None),
])
def test_breakpoint_labels_give_the_kept_exons(label, five_prime, expected):
    assert fusion_drawing.kept_exons(label, 9, five_prime) == expected


def test_a_partner_outside_the_tables_is_drawn_with_unknown_exons():
    svg = fusion_drawing.fusion_svg("NOTAGENE", "ROS1", "", "intron 33", "GRCh38")
    assert "exon structure not in the bundled tables" in svg
    assert "breakpoint exon unknown" in svg


def test_every_filled_catalog_cell_has_its_evidence_and_every_source_a_citation():
    cells = {(mutation, drug) for mutation, entry in catalog.catalog().items() for drug in entry.drugs}
    evidence = catalog.drug_evidence()
    assert set(evidence) == cells
    assert all(e.level and e.sources for e in evidence.values())
    assert {s for e in evidence.values() for s in e.sources} <= set(catalog.sources())
