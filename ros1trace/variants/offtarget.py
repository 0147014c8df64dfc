"""Off-target (ROS1-independent) resistance evidence at progression.

* Copy number: the sample sheet's ``cnv`` file (TSV with ``gene`` and ``copy_number``); MET, KRAS,
  ERBB2 and EGFR at or above ``amplification_min_copy_number`` (default 6) are amplifications,
  written e.g. ``MET amplification (CN 9)``.
* Small variants in bypass genes, read from the gene-level annotation the input VCF already
  carries (VEP ``CSQ``, SnpEff ``ANN``, bcftools ``BCSQ``): a protein-altering consequence in KRAS,
  NRAS, BRAF, PIK3CA, MET, EGFR, KIT, ERBB2, MAP2K1 or TP53 in a called record, e.g.
  ``KRAS p.Gly12Asp``.  Only the genes' spans are read (resources/reference/offtarget_genes_*.tsv,
  GENCODE V24 canonical transcripts from the spliceai 1.3.1 wheel): an index query when the VCF has
  one, else one streaming pass; and only when the header declares such an annotation field.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..errors import InputError
from ..reference.transcript import read_tsv, resources_dir
from ..text import decode_utf8

AMPLIFIABLE = ("MET", "KRAS", "ERBB2", "EGFR")
BYPASS_GENES = ("KRAS", "NRAS", "BRAF", "PIK3CA", "MET", "EGFR", "KIT", "ERBB2", "MAP2K1", "TP53")
# Sequence Ontology terms (VEP, SnpEff) and bcftools csq's short forms of the same consequences.
PROTEIN_ALTERING = {"missense_variant", "stop_gained", "frameshift_variant", "inframe_insertion",
                    "inframe_deletion", "splice_donor_variant", "splice_acceptor_variant", "start_lost",
                    "stop_lost", "protein_altering_variant", "missense", "frameshift", "splice_donor",
                    "splice_acceptor"}


def amplifications(path: str, threshold: float) -> list[str]:
    """``GENE amplification (CN x)`` for each amplifiable gene at or above ``threshold``."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: the CNV file cannot be read ({error.strerror}); check the sheet's cnv column") \
            from None
    lines = [(number, line.rstrip("\r")) for number, line in enumerate(decode_utf8(Path(path), data).split("\n"), 1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        return []
    header_line, header_text = lines[0]
    header = [cell.strip() for cell in header_text.split("\t")]
    if "gene" not in header or "copy_number" not in header:
        shown = " ".join(header) if len(header_text) <= 200 else header_text[:197] + "..."
        raise InputError(f"{path} line {header_line}: CNV file needs columns gene and copy_number (tab-separated); "
                         f"found {shown}")
    gene_col, cn_col = header.index("gene"), header.index("copy_number")
    found = {}
    for number, line in lines[1:]:
        fields = line.split("\t")
        try:
            gene, copy_number = fields[gene_col].strip().upper(), float(fields[cn_col])
        except (IndexError, ValueError):
            copy_number = math.nan
        if not math.isfinite(copy_number):
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise InputError(f"{path} line {number}: copy_number must be a number; got {shown!r}")
        if copy_number < 0:
            raise InputError(f"{path} line {number}: copy_number {copy_number:g} is negative")
        if gene in AMPLIFIABLE and copy_number >= threshold:
            found[gene] = max(found.get(gene, 0), copy_number)
    return [f"{gene} amplification (CN {cn:g})" for gene, cn in sorted(found.items())]


def _annotation_format(raw_header: str) -> tuple[str, list[str]] | None:
    """(INFO key, subfield names) of a VEP/SnpEff/bcftools annotation field declared in the header."""
    for key in ("CSQ", "ANN", "BCSQ"):
        match = re.search(rf'##INFO=<ID={key},.*?Description="([^"]*)"', raw_header)
        if match:
            description = match[1]
            names = description.split("Format:")[-1] if "Format:" in description else description.split(":")[-1]
            names = names.strip().strip("'").strip()
            return key, [n.strip() for n in re.split(r"\|", names)]
    return None


def bypass_regions(build: str) -> list:
    """The spans of the bypass genes on ``build`` (1 kb padding for edge variants)."""
    from .vcf import Region

    rows = read_tsv(resources_dir() / "reference" / f"offtarget_genes_{build}.tsv")
    return [Region(r["chrom"], int(r["start"]) - 1000, int(r["end"]) + 1000) for r in rows]


def bypass_variants(vcf_path: str, reader_settings, build: str) -> list[str]:
    """Protein-altering called variants in bypass genes, named from the VCF's own annotation."""
    from .vcf import VcfReader

    reader = VcfReader(Path(vcf_path), reader_settings)
    declared = _annotation_format(reader.raw_header)
    if declared is None:
        reader.close()
        return []
    key, names = declared
    lower = [n.lower() for n in names]

    def column(*candidates):
        for candidate in candidates:
            if candidate in lower:
                return lower.index(candidate)
        return None

    gene_i = column("symbol", "gene_name", "gene")
    consequence_i = column("consequence", "annotation")
    protein_i = column("hgvsp", "hgvs.p", "amino_acid_change")
    found = set()
    for record in reader.records(bypass_regions(build)):
        value = record.info(key)
        if not value:
            continue
        carried = [a for a in reader.alleles_of(record, None) if getattr(a, "called", False)]
        if not carried:
            continue
        for entry in str(value).split(","):
            parts = entry.split("|")
            if key == "BCSQ":  # consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change
                gene, consequence, protein = (parts + [""] * 7)[1], (parts + [""])[0], (parts + [""] * 7)[5]
            else:
                pick = lambda i: parts[i] if i is not None and i < len(parts) else ""  # noqa: E731
                gene, consequence, protein = pick(gene_i), pick(consequence_i), pick(protein_i)
            terms = set(re.split(r"[&+]", consequence.lstrip("*")))
            if gene in BYPASS_GENES and terms & PROTEIN_ALTERING:
                protein = protein.split(":")[-1]
                found.add(f"{gene} {protein}".strip() if protein else f"{gene} {sorted(terms & PROTEIN_ALTERING)[0]}")
    reader.close()
    return sorted(found)
