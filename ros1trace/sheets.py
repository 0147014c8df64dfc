"""Config, sample sheet and patient sheet: read, validate against the JSON schemas, resolve paths.

Every problem becomes one ``InputError`` line naming the file, the line, the column, the bad value
and what is allowed.  Relative paths inside a sheet are relative to the sheet's own folder; paths
in the config are relative to the working directory (Snakemake's convention).

Light on purpose: jsonschema and yaml only, so the Snakefile can import it at parse time.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml

from .errors import InputError
from .text import decode_utf8

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "workflow" / "schemas"
SAMPLE_FILE_COLUMNS = ("vcf", "fusions", "bam", "cnv")
BOOLEAN_WORDS = {"true": True, "yes": True, "false": False, "no": False}


def load_schema(name: str) -> dict:
    with open(SCHEMA_DIR / f"{name}.schema.yaml") as handle:
        return yaml.safe_load(handle)


def _allowed(schema: dict, column: str) -> str:
    spec = schema["properties"].get(column, {})
    if "enum" in spec:
        return "use one of " + ", ".join(map(str, spec["enum"]))
    if "pattern" in spec:
        return "use letters, digits, '.', '_' or '-' only"
    kind = spec.get("type")
    if kind == "integer":
        return "use a whole number" + (f" >= {spec['minimum']}" if "minimum" in spec else "")
    if kind == "number":
        return "use a number" + (f" from {spec['minimum']} to {spec['maximum']}" if "maximum" in spec else "")
    if kind == "boolean":
        return "use true/false or yes/no"
    return "see the schema " + schema.get("title", "")


def _coerce(value: str, spec: dict):
    """Sheet text -> the schema's type; returns the text unchanged when it does not convert."""
    kind = spec.get("type")
    try:
        if kind == "integer":
            number = float(value)
            return int(number) if number.is_integer() else value
        if kind == "number":
            number = float(value)
            return number if math.isfinite(number) else value  # 'nan', 'inf', 1e400: no measurement
    except ValueError:
        return value
    if kind == "boolean":
        return BOOLEAN_WORDS.get(value.strip().lower(), value)
    return value


def _schema_error(error: jsonschema.ValidationError, schema: dict, where: str, row: dict) -> InputError:
    if error.validator == "required":
        column = re.search(r"'([^']+)'", error.message)[1]
        return InputError(f"{where}: column {column} is empty; it is required")
    if error.validator == "dependentRequired":
        given, needed = re.findall(r"'([^']+)'", error.message)[:2][::-1]
        return InputError(f"{where}, column {given}: {row.get(given)!r} is given without {needed}; "
                          f"fill both {given} and {needed} or neither")
    if error.validator == "anyOf":
        return InputError(f"{where}: neither vcf nor fusions is given; a sample needs at least one of them")
    column = error.path[0] if error.path else "?"
    return InputError(f"{where}, column {column}: {row.get(column)!r} is not allowed; "
                      f"{_allowed(schema, column)}")


def _row_check(schema: dict):
    """A compiled check of one row: fastjsonschema generates Python for the schema, ~20x quicker a row
    than jsonschema.  Its draft 7 has every keyword these schemas use; jsonschema (2020-12) is then
    asked about a rejected row only, so the error message stays the same."""
    import fastjsonschema

    return fastjsonschema.compile({**schema, "$schema": "http://json-schema.org/draft-07/schema#"},
                                  use_default=False)


def read_sheet(path: Path, schema: dict, key: str) -> list[dict]:
    """Validated rows of a TSV sheet (empty cells dropped, values typed), each with ``_line``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: sheet not found; check the path in the config")
    text = decode_utf8(path, path.read_bytes())
    numbered = [(number, line) for number, line in enumerate(text.splitlines(keepends=True), start=1)
                if line.strip() and not line.startswith("#")]
    if not numbered:
        raise InputError(f"{path}: the sheet is empty; it needs a header line and one row per {key}")
    if len(numbered) == 1:
        raise InputError(f"{path}: the sheet has a header and no rows; add one row per {key}")
    reader = csv.reader((line for _, line in numbered), delimiter="\t")
    rows_of_cells = _cells(reader, path, numbered)
    header = [h.strip() for h in next(rows_of_cells)]
    missing = [c for c in schema["required"] if c not in header]
    if missing:
        raise InputError(f"{path}: header lacks column(s) {', '.join(missing)}; "
                         f"the header is {' '.join(header)} (columns are tab-separated)")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise InputError(f"{path}: column(s) {', '.join(duplicated)} appear more than once in the header")
    import fastjsonschema

    validator = jsonschema.Draft202012Validator(schema)
    check = _row_check(schema)
    specs = [schema["properties"].get(column, {}) for column in header]
    rows = []
    for (number, _), cells in zip(numbered[1:], rows_of_cells):
        where = f"{path} line {number}"
        if len(cells) != len(header):
            raise InputError(f"{where}: {len(cells)} fields, the header has {len(header)}; "
                             "separate columns with single tabs")
        row = {}
        for column, cell, spec in zip(header, cells, specs):
            if CONTROL.search(cell):  # a quoted newline or a NUL would break every table downstream
                raise InputError(f"{where}, column {column}: the cell holds a line break or control character "
                                 f"({cell[:40]!r}); keep one value per cell (rename a file whose name has one)")
            cell = cell.strip()
            if cell in ("", "NA", "."):
                continue
            row[column] = _coerce(cell, spec) if "type" in spec and spec["type"] != "string" else cell
        try:
            check(row)
            errors = []
        except fastjsonschema.JsonSchemaException:
            errors = sorted(validator.iter_errors(row), key=lambda e: (list(e.path), e.validator))
        if errors:
            if key in row:
                where += f" ({key} {row[key]})"
            raise _schema_error(errors[0], schema, where, row)
        row["_line"] = number
        rows.append(row)
    return rows


CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # any control character but the tab


def _cells(reader, path: Path, numbered: list[tuple[int, str]]):
    """The csv reader's rows, its errors (a cell over csv's 128 KiB limit, a NUL) as one line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = numbered[min(reader.line_num, len(numbered)) - 1][0]
            raise InputError(f"{path} line {line}: {error}; a sheet holds short tab-separated cells") from None


@dataclass
class Sample:
    patient_id: str
    sample_id: str
    timepoint: str
    sample_type: str
    vcf: str | None = None
    fusions: str | None = None
    tumor_sample: str | None = None
    fusion_format: str | None = None
    depth: int | None = None
    bam: str | None = None
    cnv: str | None = None
    extra: dict = field(default_factory=dict)  # any other column of the sheet, kept as written


SAMPLE_FIELDS = {f for f in Sample.__dataclass_fields__ if f != "extra"}


@dataclass
class Patient:
    patient_id: str
    progression_site: str
    extra: dict = field(default_factory=dict)  # age, sex, ... and any other column


@dataclass
class Cohort:
    samples: list[Sample]
    patients: list[Patient]
    warnings: list[str]

    def batches(self, size: int) -> dict[str, list[str]]:
        """Batch id -> patient ids, ``size`` patients a batch, in sorted patient order."""
        ids = sorted(p.patient_id for p in self.patients)
        return {f"b{i // size + 1:04d}": ids[i : i + size] for i in range(0, len(ids), size)}


def _check_file(path: str, where: str, column: str) -> None:
    if not os.path.isfile(path):
        raise InputError(f"{where}, column {column}: file {path} not found; paths are relative to the sheet's folder")
    if column == "bam":
        index_names = [f"{path}.bai", f"{path}.crai", f"{path}.csi", str(Path(path).with_suffix(".bai"))]
        if not any(os.path.exists(name) for name in index_names):
            raise InputError(f"{where}, column bam: {path} has no index (.bai/.crai/.csi); "
                             f"run 'samtools index {path}'")


def _require_unique(rows: list[dict], path: Path, key: str) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row[key] in seen:
            raise InputError(f"{path} line {row['_line']}, column {key}: {row[key]!r} already used on line "
                             f"{seen[row[key]]}; {key.replace('_id', '')} ids must be unique")
        seen[row[key]] = row["_line"]


def load_samples(path: Path) -> list[Sample]:
    path = Path(path)
    rows = read_sheet(path, load_schema("samples"), "sample_id")
    _require_unique(rows, path, "sample_id")
    folder = str(path.parent.resolve())
    samples = []
    for row in rows:
        for column in SAMPLE_FILE_COLUMNS:
            if column in row:
                # normpath, not Path.resolve: one realpath per file was the parse's slowest step
                absolute = os.path.normpath(os.path.join(folder, row[column]))
                if not os.path.isfile(absolute) or column == "bam":
                    _check_file(absolute, f"{path} line {row['_line']} (sample_id {row['sample_id']})", column)
                row[column] = absolute
        known = {k: v for k, v in row.items() if k in SAMPLE_FIELDS}
        extra = {k: v for k, v in row.items() if k not in SAMPLE_FIELDS and not k.startswith("_")}
        samples.append(Sample(**known, extra=extra))
    return samples


def load_patients(path: Path) -> list[Patient]:
    path = Path(path)
    rows = read_sheet(path, load_schema("patients"), "patient_id")
    _require_unique(rows, path, "patient_id")
    patients = []
    for row in rows:
        extra = {k: v for k, v in row.items() if k not in ("patient_id", "progression_site", "_line")}
        patients.append(Patient(row["patient_id"], row["progression_site"], extra))
    return patients


def load_cohort(samples_path: Path, patients_path: Path) -> Cohort:
    samples = load_samples(samples_path)
    patients = load_patients(patients_path)
    known = {p.patient_id for p in patients}
    for sample in samples:
        if sample.patient_id not in known:
            raise InputError(f"{samples_path}: sample {sample.sample_id} belongs to patient "
                             f"{sample.patient_id}, who is not in {patients_path}; add a row for the patient")
    sampled = {s.patient_id for s in samples}
    warnings = [f"patient {p.patient_id} has no rows in {samples_path}: reported as not_assessable"
                for p in patients if p.patient_id not in sampled]
    return Cohort(samples, patients, warnings)


def _alternative(spec: dict) -> str:
    if "const" in spec:
        return str(spec["const"])
    return "a whole number" + (f" >= {spec['minimum']}" if "minimum" in spec else "")


def validate_config(config: dict) -> dict:
    """Validate the config against its schema and fill defaults (returns a new dict)."""
    schema = load_schema("config")
    filled = dict(config)
    for key, spec in schema["properties"].items():
        if key not in filled and "default" in spec:
            filled[key] = spec["default"]
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(filled), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        if error.validator == "required":
            key = re.search(r"'([^']+)'", error.message)[1]
            raise InputError(f"config: key {key} is missing; set it in config.yaml or with --config {key}=...")
        if error.validator == "additionalProperties":
            raise InputError(f"config: {error.message}; known keys are {', '.join(schema['properties'])}")
        key = error.path[0]
        spec = schema["properties"][key]
        allowed = ("one of " + ", ".join(map(str, spec["enum"]))) if "enum" in spec else error.message
        if "anyOf" in spec:  # batch_size: a number or a keyword
            allowed = " or ".join(_alternative(choice) for choice in spec["anyOf"])
        raise InputError(f"config: key {key} = {filled[key]!r} is not allowed; use {allowed}")
    for key, spec in schema["properties"].items():
        # JSON Schema's "integer" takes 50.0; the workflow counts with it, so make it 50 (or refuse 50.5)
        wants_integer = spec.get("type") == "integer" or any(c.get("type") == "integer" for c in spec.get("anyOf", ()))
        if wants_integer and isinstance(filled.get(key), float):
            if not filled[key].is_integer():
                raise InputError(f"config: key {key} = {filled[key]!r} is not allowed; use a whole number")
            filled[key] = int(filled[key])
    return filled
