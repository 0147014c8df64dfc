"""Sheets and config: every bad value is one line naming file, line, column, value and the fix."""

from __future__ import annotations

import pytest

from ros1trace.errors import InputError
from ros1trace.manifest import prepare_run
from ros1trace.sheets import load_cohort, validate_config
from ros1trace.synthetic.locus import bundled_fasta

SAMPLES = "patient_id\tsample_id\ttimepoint\tsample_type\tvcf\tdepth\n"
PATIENTS = "patient_id\tprogression_site\tage\tsmoking\n"


def sheets(tmp_path, sample_rows, patient_rows=("P1\textracranial\t50\tyes",), samples_header=SAMPLES):
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "a.vcf").write_text("##fileformat=VCFv4.2\n")
    s = tmp_path / "samples.tsv"
    s.write_text(samples_header + "".join(r + "\n" for r in sample_rows))
    p = tmp_path / "patients.tsv"
    p.write_text(PATIENTS + "".join(r + "\n" for r in patient_rows))
    return s, p


def test_relative_paths_resolve_against_the_sheet_folder(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500"])
    cohort = load_cohort(s, p)
    assert cohort.samples[0].vcf == str(tmp_path / "data" / "a.vcf")
    assert cohort.samples[0].depth == 500 and cohort.patients[0].extra == {"age": 50.0, "smoking": True}


@pytest.mark.parametrize("row,message", [
    ("P1\tS1\trelapse\ttissue\tdata/a.vcf\t", r"line 2 \(sample_id S1\), column timepoint: 'relapse' is not allowed; use one of baseline, progression"),
    ("P1\tS1\tbaseline\tblood\tdata/a.vcf\t", r"column sample_type: 'blood' is not allowed; use one of tissue, plasma, csf"),
    ("P 1\tS1\tbaseline\ttissue\tdata/a.vcf\t", r"column patient_id: 'P 1' is not allowed; use letters, digits"),
    ("P1\tS1\tbaseline\ttissue\tdata/missing.vcf\t", r"column vcf: file .*missing.vcf not found"),
    ("P1\tS1\tbaseline\ttissue\t\t", r"neither vcf nor fusions is given"),
    ("P1\tS1\tbaseline\ttissue\tdata/a.vcf\tdeep", r"column depth: 'deep' is not allowed; use a whole number >= 1"),
    ("P1\tS1\tbaseline\ttissue\tdata/a.vcf", r"5 fields, the header has 6"),
    ("P1\t\tbaseline\ttissue\tdata/a.vcf\t", r"column sample_id is empty; it is required"),
])
def test_bad_sample_rows_give_one_line_errors(tmp_path, row, message):
    s, p = sheets(tmp_path, [row])
    with pytest.raises(InputError, match=message) as error:
        load_cohort(s, p)
    assert str(s) in str(error.value) and "\n" not in str(error.value)


def test_duplicate_sample_ids_are_rejected(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t", "P1\tS1\tprogression\ttissue\tdata/a.vcf\t"])
    with pytest.raises(InputError, match="line 3, column sample_id: .S1. already used on line 2; sample ids must be unique"):
        load_cohort(s, p)


def test_missing_required_column_is_named(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\ttissue\tdata/a.vcf"], samples_header="patient_id\tsample_id\tsample_type\tvcf\n")
    with pytest.raises(InputError, match="header lacks column.*timepoint"):
        load_cohort(s, p)


@pytest.mark.parametrize("row,message", [
    ("P1\tbrain\t50\tyes", r"column progression_site: 'brain' is not allowed; use one of intracranial, extracranial, both"),
    ("P1\textracranial\told\tyes", r"column age: 'old' is not allowed"),
    ("P1\textracranial\t50\tsometimes", r"column smoking: 'sometimes' is not allowed; use true/false or yes/no"),
])
def test_bad_patient_rows_give_one_line_errors(tmp_path, row, message):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t"], [row])
    with pytest.raises(InputError, match=message):
        load_cohort(s, p)


def test_samples_of_unknown_patients_are_rejected_and_patients_without_samples_warned(tmp_path):
    s, p = sheets(tmp_path, ["P2\tS1\tbaseline\ttissue\tdata/a.vcf\t"])
    with pytest.raises(InputError, match="patient P2, who is not in"):
        load_cohort(s, p)
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t"], ["P1\textracranial\t50\tno", "P9\tboth\t60\tno"])
    assert load_cohort(s, p).warnings == [f"patient P9 has no rows in {s}: reported as not_assessable"]


@pytest.mark.parametrize("change,message", [
    ({"genome_build": "hg19"}, "genome_build = 'hg19' is not allowed; use one of GRCh38, GRCh37"),
    ({"min_power": 2}, "min_power = 2 is not allowed"),
    ({"colour": "red"}, "Additional properties are not allowed"),
])
def test_bad_config_values_are_named(change, message):
    with pytest.raises(InputError, match=message):
        validate_config({"samples": "s", "patients": "p", **change})


def test_defaults_are_filled_from_the_schema():
    config = validate_config({"samples": "s", "patients": "p"})
    assert (config["min_alt_reads"], config["min_power"], config["filter_policy"], config["outdir"]) == \
        (3, 0.95, "pass_only", "results")


def test_the_synthetic_locus_is_refused_for_a_users_sheets(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t"])
    config = {"samples": str(s), "patients": str(p), "reference_fasta": str(bundled_fasta("GRCh38"))}
    with pytest.raises(InputError, match="reference_fasta is the bundled SYNTHETIC locus"):
        prepare_run(config, tmp_path)
    with pytest.raises(InputError, match="reference_fasta is not set"):
        prepare_run({"samples": str(s), "patients": str(p)}, tmp_path)


def test_a_fasta_of_the_other_build_is_refused_with_the_first_wrong_residue(tmp_path):
    import shutil

    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t"])
    for suffix in ("", ".fai", ".gzi"):  # a copy outside resources/: treated as the user's own FASTA
        shutil.copy(f"{bundled_fasta('GRCh37')}{suffix}", tmp_path / f"ref.fa.gz{suffix}")
    config = {"samples": str(s), "patients": str(p), "reference_fasta": str(tmp_path / "ref.fa.gz"),
              "genome_build": "GRCh38"}
    with pytest.raises(InputError, match=r"does not encode P08922: c.1-3 is NNN, not ATG; is genome_build \(GRCh38\)"):
        prepare_run(config, tmp_path)
    manifest = prepare_run({**config, "allow_reference_mismatch": True}, tmp_path)
    assert any("does not encode P08922" in w for w in manifest["warnings"])
    assert prepare_run({**config, "genome_build": "GRCh37"}, tmp_path)["build"] == "GRCh37"


def test_the_manifest_says_whether_the_reference_encodes_p08922(tmp_path):
    import shutil

    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t"])
    for build in ("GRCh37", "GRCh38"):
        for suffix in ("", ".fai", ".gzi"):
            shutil.copy(f"{bundled_fasta(build)}{suffix}", tmp_path / f"{build}.fa.gz{suffix}")
    config = {"samples": str(s), "patients": str(p), "genome_build": "GRCh38"}
    right = prepare_run({**config, "reference_fasta": str(tmp_path / "GRCh38.fa.gz")}, tmp_path)
    wrong = prepare_run({**config, "reference_fasta": str(tmp_path / "GRCh37.fa.gz"),
                         "allow_reference_mismatch": True}, tmp_path)
    assert right["reference_encodes_p08922"] is True and wrong["reference_encodes_p08922"] is False


def test_a_sheet_with_a_header_and_no_rows_is_refused(tmp_path):
    s, p = sheets(tmp_path, [])
    with pytest.raises(InputError, match=r"samples.tsv: the sheet has a header and no rows; add one row per sample"):
        load_cohort(s, p)


def test_extra_sample_columns_are_kept_like_patient_ones(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500\tfrom the biobank"],
                  samples_header=SAMPLES.rstrip("\n") + "\tnotes\n")
    [sample] = load_cohort(s, p).samples
    assert sample.extra == {"notes": "from the biobank"} and sample.depth == 500


def test_a_sheet_that_is_not_utf8_names_the_line_and_byte(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500"])
    p.write_bytes(PATIENTS.encode() + "P1\textracranial\t50\tyes # Müller\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"patients.tsv line 2: byte \d+ \(0xfc\) is not UTF-8; save the file as UTF-8"):
        load_cohort(s, p)


def test_a_cell_beyond_csvs_limit_is_one_line(tmp_path):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500"],
                  patient_rows=["P1\textracranial\t50\t" + "y" * 200_000])
    with pytest.raises(InputError, match=r"patients.tsv line 2: field larger than field limit"):
        load_cohort(s, p)


@pytest.mark.parametrize("value, result", [(50.0, 50), (50, 50), ("auto", "auto")])
def test_a_whole_batch_size_written_as_a_float_counts_as_an_integer(value, result):
    assert validate_config({"samples": "s", "patients": "p", "batch_size": value})["batch_size"] == result


def test_a_fractional_batch_size_is_refused():
    with pytest.raises(InputError, match=r"config: key batch_size = 50.5 is not allowed; use a whole number"):
        validate_config({"samples": "s", "patients": "p", "batch_size": 50.5})


@pytest.mark.parametrize("outdir, said", [
    ("/", "is the filesystem root"),
    (".", "is the working directory"),
    ("..", "is the working directory"),
    ("data", "holds an input of this run"),
])
def test_an_outdir_over_the_inputs_or_the_working_directory_is_refused(tmp_path, outdir, said):
    import shutil

    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500"])
    for suffix in ("", ".fai", ".gzi"):
        shutil.copy(f"{bundled_fasta('GRCh38')}{suffix}", tmp_path / f"ref.fa.gz{suffix}")
    config = {"samples": str(s), "patients": str(p), "reference_fasta": str(tmp_path / "ref.fa.gz"), "outdir": outdir}
    with pytest.raises(InputError, match=f"config: outdir '{outdir}' {said}"):
        prepare_run(config, tmp_path, check_sequence=False)
    assert prepare_run({**config, "outdir": "results"}, tmp_path, check_sequence=False)["config"]["outdir"] == "results"


def test_a_quoted_line_break_in_a_path_is_refused_not_written_into_the_tables(tmp_path):
    s, p = sheets(tmp_path, ['P1\tS1\tbaseline\ttissue\t"data/a\nb.vcf"\t500'])
    with pytest.raises(InputError, match=r"samples.tsv line 2, column vcf: the cell holds a line break"):
        load_cohort(s, p)


@pytest.mark.parametrize("age", ["nan", "inf", "1e400"])
def test_a_number_that_is_no_measurement_is_refused(tmp_path, age):
    s, p = sheets(tmp_path, ["P1\tS1\tbaseline\ttissue\tdata/a.vcf\t500"], patient_rows=[f"P1\textracranial\t{age}\tyes"])
    with pytest.raises(InputError, match=rf"patients.tsv line 2 \(patient_id P1\), column age: '{age}' is not allowed"):
        load_cohort(s, p)
