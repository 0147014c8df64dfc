"""``audit/reported_vs_recomputed.tsv``: a paper's reported numbers against the run's tables.

The input is a YAML (``config: reported``; ``resources/paper/reported.yaml`` is the study's) with an
``items`` list.  Every item names what it is (``item``) and one reported number:

* ``count: N`` — patients matching ``select`` (within ``among``);
* ``percent: P`` with ``of: n`` (the paper's denominator) and optionally ``count: k`` (its numerator,
  as printed, even "2.1") — k/n over the same ``select``/``among``;
* ``p_value: p`` with ``test:`` (as the paper names it), ``group_a``/``group_b`` (filters), ``outcome``
  (the filter counted as "yes"), ``among``, and optionally ``paper_counts: [k_a, n_a, k_b, n_b]``
  (``null`` where the paper does not say);
* ``median: m`` or ``range: [lo, hi]`` of a numeric ``column``.

Filters are ``{column: value}``, ``{column: [values]}`` or ``{column: {exactly: text}}`` over the
run's ``patients.tsv`` joined with the patient sheet's own columns; a value matches a ``;``-separated
list cell when it is one of its items (so ``emergent_ros1_mutations: G2032R`` finds the G2032R
patients), ``exactly`` only the whole cell (``progression_sample_types: {exactly: plasma}``).
``unverifiable: why`` marks a number the run's data cannot speak to (screening counts): listed,
not checked.  Values are read as text,
so a paper's "57.63" or "1.000" keeps its decimals.  ``equals_sum_of: [ids]`` checks an item against
the sum of other items' reported numbers, ``same_as: id`` against another item's — the paper's own
consistency.

Checks and their explanations (``note``)
-----------------------------------------
* A percent agrees when it is k/n rounded half up to the printed decimals (a decimal comma is
  read as a point and said so); "truncated, not rounded" when it is k/n cut, not rounded, at those
  decimals.  When no whole number over n gives it the note says so and lists the fractions that
  do give it with a denominator within 2 of n or equal to another denominator of the file (a
  fraction of the wrong group).  A printed numerator that is not whole is flagged.  The counts must
  also equal the recomputed ones.
* A p-value: Fisher's exact (two-sided), Pearson's chi-square and Yates' chi-square at the paper's
  counts (when given) and at the recomputed counts; the note lists which of them round to the
  reported p at its decimals and whether one of them is the test the paper names.  When the
  paper's counts are partly unknown, the numerators of the unknown group that would reproduce the
  p under each test are listed.  ``agrees`` is about the named test at the recomputed counts.
* A median / range: of the column over the patients with a value.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from ..errors import InputError
from ..tsv import format_value

AUDIT_COLUMNS = ["item", "reported", "recomputed", "agrees", "note"]
TESTS = {
    "fisher": "fisher_exact",
    "fisher_exact": "fisher_exact",
    "fisher's exact": "fisher_exact",
    "chi-square": "chi2",
    "chi2": "chi2",
    "chi-squared": "chi2",
    "pearson": "chi2",
    "yates": "chi2_yates",
    "chi2_yates": "chi2_yates",
}
TEST_NAMES = {"fisher_exact": "Fisher", "chi2": "Pearson chi-square", "chi2_yates": "Yates chi-square"}
KINDS = ("p_value", "percent", "median", "range", "count")


# -- the YAML ---------------------------------------------------------------------------------------
class _TextLoader(yaml.BaseLoader):
    """Every scalar as text; a key given twice in one item is an error (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_scalar(key) for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        for key in keys:
            if keys.count(key) > 1:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} given twice in one item (start each item with '- ')",
                    node.start_mark,
                )
        return super().construct_mapping(node, deep)


def load_reported(path: Path | str) -> list[dict]:
    """The items of a reported-numbers YAML, checked; every scalar kept as the text the paper printed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"config: reported {path}: file not found; give the YAML of the paper's numbers")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)  # all scalars as text
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise InputError(f"{path}: needs a top-level 'items:' list of reported numbers")
    ids = set()
    for number, item in enumerate(data["items"], start=1):
        where = f"{path} item {number}"
        if not isinstance(item, Mapping) or "item" not in item:
            raise InputError(f"{where}: each item needs 'item:' (what the number is)")
        where += f" ({item['item']})"
        kind = next((k for k in KINDS if k in item), None)
        if kind is None:
            raise InputError(f"{where}: no reported number; give one of {', '.join(KINDS)}")
        if kind == "percent" and "of" not in item and "among" not in item:
            raise InputError(f"{where}: a percent needs its denominator 'of:' (or the population 'among:')")
        if kind == "p_value":
            missing = [k for k in ("test", "group_a", "group_b", "outcome") if k not in item]
            if missing:
                raise InputError(f"{where}: a p-value needs {', '.join(missing)}")
            if str(item["test"]).lower() not in TESTS:
                raise InputError(
                    f"{where}: test {item['test']!r} is not known; use one of {', '.join(TESTS)}"
                )
        counts = item.get("paper_counts")
        if counts is not None and (
            not isinstance(counts, list)
            or len(counts) != 4
            or any(c in (None, "null", "~", "") for c in counts[1::2])
        ):
            raise InputError(
                f"{where}: paper_counts must be [k_a, n_a, k_b, n_b] with both n given "
                "(null only for an unknown k)"
            )
        if kind in ("median", "range") and "column" not in item:
            raise InputError(f"{where}: a {kind} needs the 'column:' it summarises")
        for key in ("select", "among", "group_a", "group_b", "outcome"):
            if key in item and not isinstance(item[key], Mapping):
                raise InputError(f"{where}: {key} must be a mapping of column: value(s)")
        if "id" in item:
            ids.add(item["id"])
    for number, item in enumerate(data["items"], start=1):
        refs = list(item.get("equals_sum_of", [])) + ([item["same_as"]] if "same_as" in item else [])
        unknown = [r for r in refs if r not in ids]
        if unknown:
            raise InputError(
                f"{path} item {number} ({item['item']}): refers to unknown id(s) {', '.join(unknown)}"
            )
    return list(data["items"])


# -- the patients -------------------------------------------------------------------------------------
def patient_records(patients: list[dict], clinical: list[dict]) -> list[dict]:
    """The run's patients.tsv rows with the patient sheet's columns (age, sex, ...) added, as text."""
    extra = {p["patient_id"]: {k: format_value(v) for k, v in p.get("extra", {}).items()} for p in clinical}
    return [extra.get(p["patient_id"], {}) | p for p in patients]


def matches(record: dict, conditions: Mapping | None) -> bool:
    for column, wanted in (conditions or {}).items():
        cell = record.get(column, "")
        if isinstance(wanted, Mapping):  # {exactly: "csf;plasma"}: the whole cell, not one of its items
            if cell != str(wanted.get("exactly")):
                return False
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        items = cell.split(";") if ";" in cell else [cell]
        if not any(str(v) in items for v in values):
            return False
    return True


def tally(records: list[dict], select: Mapping | None, among: Mapping | None) -> tuple[int, int]:
    population = [r for r in records if matches(r, among)]
    return sum(matches(r, select) for r in population), len(population)


# -- numbers -------------------------------------------------------------------------------------------
def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def cut(value: float, places: int, mode=ROUND_HALF_UP) -> Decimal:
    """``value`` to ``places`` decimals, half up (as a reader rounds) or down (truncated)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=mode)


def percent_fits(k: float, n: int, printed: Decimal, places: int) -> str | None:
    """'rounded' or 'truncated' when k/n prints as ``printed`` that way, else None."""
    if n <= 0:
        return None
    value = 100 * k / n
    if cut(value, places) == printed:
        return "rounded"
    if cut(value, places, ROUND_DOWN) == printed:
        return "truncated"
    return None


def fractions_giving(printed: Decimal, places: int, denominators: list[int]) -> list[str]:
    found = []
    for n in denominators:
        for k in range(n + 1):
            how = percent_fits(k, n, printed, places)
            if how:
                found.append(
                    f"{k}/{n} = {100 * k / n:.{places + 1}f}%" + (" truncated" if how == "truncated" else "")
                )
    return found


def two_by_two_p(k_a: int, n_a: int, k_b: int, n_b: int) -> dict[str, float | None]:
    from .stats import two_by_two

    return {r.test: r.p_value for r in two_by_two(k_a, n_a, k_b, n_b)}


def p_matches(p: float | None, reported: str) -> bool:
    if p is None:
        return False
    text = reported.strip()
    if text.startswith("<"):
        return p < float(text[1:])
    return cut(p, decimals(text)) == Decimal(text)


def _fmt_p(p: float | None) -> str:
    return "undefined" if p is None else f"{p:.4f}" if p >= 0.0001 else f"{p:.2e}"


# -- the checks ----------------------------------------------------------------------------------------
def check_count(item: dict, records: list[dict]) -> dict:
    k, _ = tally(records, item.get("select"), item.get("among"))
    reported = int(item["count"])
    return {
        "recomputed": k,
        "agrees": k == reported,
        "note": "" if k == reported else f"recomputed {k}, not {reported}",
    }


def check_percent(item: dict, records: list[dict], denominators: list[int]) -> dict:
    notes, agrees = [], True
    text = str(item["percent"]).strip()
    if "," in text:
        notes.append("decimal comma read as a point")
        text = text.replace(",", ".")
    printed, places = Decimal(text), decimals(text)
    k, n = tally(records, item.get("select"), item.get("among"))
    n_paper = int(item["of"]) if "of" in item else n
    k_text = item.get("count")
    k_paper = None
    if k_text is not None:
        if float(k_text) == int(float(k_text)):
            k_paper = int(float(k_text))
        else:
            notes.append(f"the printed numerator {k_text} is not a whole number of patients")
            agrees = False
    whole = fractions_giving(printed, places, [n_paper])
    if not whole:  # no k/n_paper prints so: look at nearby and other groups' denominators
        near = sorted({d for d in denominators + [n_paper + i for i in (-2, -1, 1, 2)] if 0 < d != n_paper})
        others = fractions_giving(printed, places, near)
        nearest = (
            min(range(n_paper + 1), key=lambda k_: abs(100 * k_ / n_paper - float(printed))) if n_paper else 0
        )
        notes.append(
            f"no whole number over {n_paper} gives {text}% (nearest {nearest}/{n_paper} = "
            f"{100 * nearest / max(n_paper, 1):.{places + 1}f}%)"
            + (f"; {', '.join(others)}" if others else "")
        )
        agrees = False
    elif k_paper is not None:
        fit = percent_fits(k_paper, n_paper, printed, places)
        if fit is None:
            notes.append(
                f"{k_paper}/{n_paper} = {100 * k_paper / n_paper:.{places + 1}f}%, not {text}% "
                f"({', '.join(whole)})"
            )
            agrees = False
        elif fit == "truncated":
            notes.append(
                f"{k_paper}/{n_paper} = {100 * k_paper / n_paper:.{places + 2}f}%: truncated, not rounded"
            )
    if (k_paper is not None and k != k_paper) or n != n_paper:
        paper = (
            f"{k_text}/{n_paper}"
            if k_text is not None
            else (f"{text}% = {' or '.join(w.split(' = ')[0] for w in whole)}" if whole else f"?/{n_paper}")
        )
        notes.append(f"recomputed {k}/{n}, the paper {paper}")
        agrees = False
    elif whole and k_paper is None and percent_fits(k, n, printed, places) is None:
        notes.append(f"recomputed {k}/{n} = {100 * k / n:.{places + 1}f}%; {text}% is {', '.join(whole)}")
        agrees = False
    recomputed = f"{k}/{n} = {100 * k / n:.{max(places, 1)}f}%" if n else f"{k}/0"
    return {"recomputed": recomputed, "agrees": agrees, "note": "; ".join(notes)}


def check_p_value(item: dict, records: list[dict]) -> dict:
    named = TESTS[str(item["test"]).lower()]
    reported = str(item["p_value"]).strip()
    population = [r for r in records if matches(r, item.get("among"))]
    counts = []
    for group in ("group_a", "group_b"):
        members = [r for r in population if matches(r, item[group])]
        counts += [sum(matches(r, item["outcome"]) for r in members), len(members)]
    k_a, n_a, k_b, n_b = counts
    notes = []
    at_recomputed = two_by_two_p(k_a, n_a, k_b, n_b)
    paper = item.get("paper_counts")
    if paper:
        paper = [None if v in (None, "null", "~", "") else int(v) for v in paper]
        if None not in paper:
            notes.append(_which_tests("the paper's counts", paper, two_by_two_p(*paper), reported, named))
        else:  # search the unknown numerator
            unknown = paper.index(None)
            filled = []
            for value in range(paper[unknown + 1] + 1):  # load_reported: only a k may be unknown
                trial = paper[:unknown] + [value] + paper[unknown + 1 :]
                hits = [TEST_NAMES[t] for t, p in two_by_two_p(*trial).items() if p_matches(p, reported)]
                if hits:
                    filled.append(f"{trial[0]}/{trial[1]} vs {trial[2]}/{trial[3]} ({', '.join(hits)})")
            notes.append(
                f"p = {reported} is reproduced at "
                + ("; ".join(filled) if filled else "no counts")
                + " with the paper's other counts"
            )
    notes.append(_which_tests("the recomputed counts", counts, at_recomputed, reported, named))
    return {
        "recomputed": _fmt_p(at_recomputed[named]),
        "agrees": p_matches(at_recomputed[named], reported),
        "note": "; ".join(notes),
    }


def _which_tests(label: str, counts: list[int], ps: dict, reported: str, named: str) -> str:
    k_a, n_a, k_b, n_b = counts
    listed = ", ".join(f"{TEST_NAMES[t]} {_fmt_p(p)}" for t, p in ps.items())
    hits = [t for t, p in ps.items() if p_matches(p, reported)]
    if not hits:
        verdict = f"no test gives {reported}"
    elif named in hits:
        verdict = f"{reported} is the named test ({TEST_NAMES[named]})"
    else:
        verdict = (
            f"{reported} is {' and '.join(TEST_NAMES[t] for t in hits)}, not the {TEST_NAMES[named]} "
            "the paper names"
        )
    return f"at {label} {k_a}/{n_a} vs {k_b}/{n_b}: {listed}: {verdict}"


def _values(records: list[dict], item: dict) -> list[float]:
    values = []
    for record in records:
        if matches(record, item.get("among")) and record.get(item["column"], "") not in ("", None):
            try:
                values.append(float(record[item["column"]]))
            except ValueError:
                pass
    return values


def check_median(item: dict, records: list[dict]) -> dict:
    values = _values(records, item)
    if not values:
        return {"recomputed": "", "agrees": False, "note": f"no patient has a number in {item['column']}"}
    median = statistics.median(values)
    reported = float(item["median"])
    return {
        "recomputed": format_value(median),
        "agrees": math.isclose(median, reported),
        "note": f"median of {len(values)} patients",
    }


def check_range(item: dict, records: list[dict]) -> dict:
    values = _values(records, item)
    if not values:
        return {"recomputed": "", "agrees": False, "note": f"no patient has a number in {item['column']}"}
    low, high = min(values), max(values)
    reported = [float(v) for v in item["range"]]
    return {
        "recomputed": f"{format_value(low)}-{format_value(high)}",
        "agrees": [low, high] == reported,
        "note": "",
    }


def _reported_text(item: dict, kind: str) -> str:
    if kind == "percent":
        fraction = (
            f" ({item['count']}/{item['of']})"
            if "count" in item and "of" in item
            else (f" (of {item['of']})" if "of" in item else "")
        )
        return f"{item['percent']}%{fraction}"
    if kind == "p_value":
        return f"p = {item['p_value']} ({item['test']})"
    if kind == "range":
        return "-".join(item["range"])
    return str(item[kind])


def _reported_number(item: dict) -> float:
    kind = next(k for k in KINDS if k in item)
    value = item["count"] if kind == "percent" and "count" in item else item[kind]
    return float(str(value).replace(",", "."))


def audit_rows(items: list[dict], records: list[dict]) -> list[dict]:
    denominators = sorted(
        {int(i["of"]) for i in items if "of" in i}
        | {int(v) for i in items for v in (i.get("paper_counts") or [])[1::2] if v not in (None, "null")}
    )
    by_id = {i["id"]: i for i in items if "id" in i}
    rows = []
    for item in items:
        kind = next(k for k in KINDS if k in item)
        if "unverifiable" in item:  # a number the run's data cannot speak to (screening, exclusions)
            rows.append(
                {
                    "item": item["item"],
                    "reported": _reported_text(item, kind),
                    "recomputed": "",
                    "agrees": None,
                    "note": f"not recomputable from the run: {item['unverifiable']}",
                }
            )
            continue
        check = {
            "count": check_count,
            "median": check_median,
            "range": check_range,
            "p_value": check_p_value,
        }.get(kind)
        result = check_percent(item, records, denominators) if kind == "percent" else check(item, records)
        notes = [result["note"]] if result["note"] else []
        if "equals_sum_of" in item:
            parts = [by_id[i] for i in item["equals_sum_of"]]
            total = sum(_reported_number(p) for p in parts)
            if total != _reported_number(item):
                notes.append(
                    "the paper's own "
                    + " + ".join(format_value(_reported_number(p)) for p in parts)
                    + f" = {format_value(total)}, not {format_value(_reported_number(item))}"
                )
        if "same_as" in item:
            other = by_id[item["same_as"]]
            if _reported_text(other, next(k for k in KINDS if k in other)) != _reported_text(item, kind):
                notes.append(
                    f"the paper prints {_reported_text(other, next(k for k in KINDS if k in other))} "
                    f"for the same number ({other['item']})"
                )
        rows.append(
            {
                "item": item["item"],
                "reported": _reported_text(item, kind),
                "recomputed": result["recomputed"],
                "agrees": result["agrees"] and len(notes) == len([result["note"]] if result["note"] else []),
                "note": "; ".join(notes),
            }
        )
    return rows
