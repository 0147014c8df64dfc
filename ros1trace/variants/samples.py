"""The ROS1 small variants of a sample (for stage ``variants``, :mod:`ros1trace.stages.variants`).

For every sample with a VCF: read the ROS1 locus (index query when possible), normalise, merge
same-codon haplotypes, annotate on NM_002944.2, and write

* one row per carried allele to the batch's ``variants.tsv`` (filtered calls stay listed, with
  their FILTER value and ``called`` = false), and
* an annotated copy of the sample's ROS1 records (bgzipped + tabix) with an INFO field
  ``ROS1TRACE`` declared in the header.

Imports pysam (and cyvcf2 for BCF input) only; the reference locus is read once per batch.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Iterable

from ..reference.builds import check_header, other_build_spans, wrong_build_error
from ..reference.catalog import catalog, resistance_status
from ..reference.genome import LOCUS_FLANK, Locus, contig_aliases, resolve_contig
from ..reference.transcript import ENSEMBL_TRANSCRIPT, TRANSCRIPT, protein
from ..tsv import atomic_path
from .annotate import Annotator
from .haplotype import merge_same_codon
from .reads import Bam, ReadSettings
from .vcf import Allele, Region, VcfReader, VcfSettings
from .vcf_lines import ENCODING

log = logging.getLogger(__name__)
_CONTIG_ID = re.compile(r"##contig=<ID=([^,>]+)")
INFO_ID = "ROS1TRACE"
INFO_FIELDS = ("allele|protein_change|hgvs_c|hgvs_p|consequence|exon|intron|in_kinase_domain|known_resistance"
               "|codon_change_of (for same-codon changes merged into one haplotype: the merged allele)")


def ros1_region(tx) -> Region:
    return Region(tx.chrom, tx.start - LOCUS_FLANK, tx.end + LOCUS_FLANK)


def vcf_settings(config: dict, sample: dict) -> VcfSettings:
    return VcfSettings(config["min_alt_reads"], config["filter_policy"], tuple(config["accepted_filters"]),
                       sample.get("tumor_sample"))


def read_settings(config: dict) -> ReadSettings:
    return ReadSettings(config["min_base_quality"], config["min_mapping_quality"])


def variant_row(sample: dict, allele: Allele, annotator: Annotator, merged_from: str = "", evidence: str = "") -> dict:
    note = annotator.annotate(allele.pos, allele.ref, allele.alt)
    entry = catalog().get(note.protein_change)
    return {
        "patient_id": sample["patient_id"], "sample_id": sample["sample_id"], "timepoint": sample["timepoint"],
        "sample_type": sample["sample_type"], "chrom": allele.chrom, "pos": allele.pos, "ref": allele.ref,
        "alt": allele.alt, "transcript": TRANSCRIPT, "exon": note.exon, "intron": note.intron,
        "hgvs_c": note.hgvs_c, "hgvs_p": note.hgvs_p, "protein_change": note.protein_change,
        "consequence": note.consequence, "in_kinase_domain": note.in_kinase_domain,
        "known_resistance": entry is not None, "vaf": allele.counts.vaf, "depth": allele.counts.depth,
        "alt_reads": allele.counts.alt_reads, "filter": allele.filter, "called": allele.called,
        "resistance_status": resistance_status(note.protein_change, note.consequence),
        "resistant_to": entry.resistant_to if entry else "", "sensitive_to": entry.sensitive_to if entry else "",
        "catalog_source": entry.sources if entry else "", "merged_from": merged_from,
        "phase_evidence": evidence, "genotype": allele.genotype, "caller_dialect": allele.counts.dialect,
    }


def sample_variants(sample: dict, config: dict, tx, locus: Locus, annotator: Annotator,
                    reference_fasta: str, vcf_out: Path | None = None) -> list[dict]:
    """Rows of ``variants.tsv`` for one sample; writes its annotated VCF when ``vcf_out`` is given.

    Records stream through: only those with ALT alleles are kept (as compact ``Allele`` s keyed by
    their place in the read), so memory grows with the alleles found, not with the records read; the
    annotated copy is written in a second read of the same regions, once the merges are known.
    """
    reader = VcfReader(Path(sample["vcf"]), vcf_settings(config, sample))
    try:
        check_header(reader.path, reader.header, tx.build)
        region = ros1_region(tx)
        other_builds = other_build_spans(tx.build)
        regions = [region, *(Region(tx.chrom, start, end) for _, start, end in other_builds)]
        with_alleles: dict[int, list[Allele]] = {}  # place in the read -> the record's ALT alleles
        outside: set[int] = set()  # places of records in another build's ROS1 locus
        in_region, last, in_order = 0, None, True
        for index, record in enumerate(reader.records(regions)):
            if record.pos > region.end or record.end < region.start:
                if not outside:  # the other build whose locus it overlaps (a gVCF block may span it whole)
                    elsewhere = (record, next(b for b, start, end in other_builds
                                              if record.pos <= end and start <= record.end))
                outside.add(index)
                continue
            in_region += 1
            in_order = in_order and (last is None or (record.chrom, record.pos) >= last)
            last = (record.chrom, record.pos)
            found = reader.alleles_of(record, locus)
            if found and type(found[0]) is Allele:  # not a reference-only record (a depth, no allele)
                with_alleles[index] = found
        if not in_region:
            if outside:
                record, other = elsewhere
                raise wrong_build_error(reader.path, tx.build, other, f"record {record.name}")
            _warn_without_chromosome(reader, tx.chrom)
        alleles = [a for found in with_alleles.values() for a in found if a.carried]
        bam = Bam(sample["bam"], read_settings(config), reference_fasta) if sample.get("bam") else None
        try:
            merged = merge_same_codon(alleles, tx, locus, bam, config["min_alt_reads"], config["phase_vaf_alpha"])
        finally:
            if bam is not None:
                bam.close()
        rows = []
        merged_into = {}
        for group in merged:
            sources = ";".join(p.record for p in group.components) if len(group.components) > 1 else ""
            rows.append(variant_row(sample, group.allele, annotator, sources, group.evidence))
            if len(group.components) > 1:
                merged_into.update({id(p): group.allele for p in group.components})
        if vcf_out is not None:
            annotated = _annotated_lines(reader, regions, outside, with_alleles, annotator, merged_into, in_order)
            _write_annotated_vcf(reader, annotated, vcf_out)
    finally:
        reader.close()
    return rows


def _warn_without_chromosome(reader: VcfReader, chrom: str) -> None:
    """A log line when a VCF knows no ROS1 chromosome under any name we accept -- neither a ``##contig``
    line nor an indexed record: a VCF that names it otherwise (e.g. a RefSeq accession) would otherwise
    just give no variants.  A VCF that declares chr6 and has no record there is simply silent there."""
    declared = [m[1] for m in map(_CONTIG_ID.match, reader.header) if m]
    contigs = list(dict.fromkeys([*declared, *(reader.source.indexed_contigs() or [])]))
    if contigs and resolve_contig(chrom, contigs) is None:
        shown = ", ".join(contigs[:6]) + (", ..." if len(contigs) > 6 else "")
        log.warning("%s: no chromosome 6 (named %s or %s) in its contig lines or index, only %s; if chromosome 6 has "
                    "another name in this file, rename it to chr6 or 6", reader.path, *contig_aliases(chrom)[::-1],
                    shown)


def _info_value(allele: Allele, annotator: Annotator, merged: Allele | None) -> str:
    """One INFO entry; a component of a merged codon change carries the merged annotation."""
    shown = merged or allele
    note = annotator.annotate(shown.pos, shown.ref, shown.alt)
    known = "true" if note.protein_change in catalog() else "false"
    kinase = "true" if note.in_kinase_domain else "false"
    merged_text = f"{merged.pos}:{merged.ref}>{merged.alt}" if merged else ""
    return (f"{allele.pos}:{allele.ref}>{allele.alt}|{note.protein_change}|{note.hgvs_c}|{note.hgvs_p}|"
            f"{note.consequence}|{note.exon or ''}|{note.intron or ''}|{kinase}|{known}|{merged_text}")


def _info_line() -> str:
    return (f'##INFO=<ID={INFO_ID},Number=.,Type=String,Description="ros1trace annotation on {TRANSCRIPT} '
            f'({ENSEMBL_TRANSCRIPT}, P08922 numbering), one entry per normalised ALT allele: {INFO_FIELDS}">')


def _with_info(fields: list[str], value: str) -> str:
    """The record's line with ``ROS1TRACE=value`` as its INFO entry (replacing an earlier one)."""
    info, entry = fields[7], f"{INFO_ID}={value}"
    if info in (".", ""):
        info = entry
    elif f"{INFO_ID}=" in info:
        info = ";".join([*(i for i in info.split(";") if not i.startswith(f"{INFO_ID}=")), entry])
    else:
        info = f"{info};{entry}"
    return "\t".join((*fields[:7], info, *fields[8:]))


def _annotated_lines(reader: VcfReader, regions, outside: set[int], with_alleles: dict[int, list[Allele]],
                     annotator: Annotator, merged_into: dict, in_order: bool) -> Iterable[str]:
    """The ROS1 records read again in the same order, each as the caller wrote it, those with ALT
    alleles plus the ROS1TRACE INFO entry.  tabix needs them sorted: a plain VCF whose records are
    out of order (``in_order`` false) is the one case where they are held and sorted."""
    def lines():
        for index, (_, line) in enumerate(reader.source.lines(regions)):
            if index in outside:
                continue
            found = with_alleles.get(index)
            if found:
                value = ",".join(_info_value(a, annotator, merged_into.get(id(a))) for a in found)
                line = _with_info(line.split("\t"), value)
            yield line

    if in_order:
        return lines()
    return sorted(lines(), key=lambda line: (line.split("\t", 2)[0], int(line.split("\t", 2)[1])))


def _write_annotated_vcf(reader: VcfReader, records: Iterable[str], out: Path) -> None:
    """The header (with the ROS1TRACE declaration) and the annotated record lines, bgzipped + indexed."""
    import pysam
    from Bio import bgzf

    declaration = f"##INFO=<ID={INFO_ID},"
    header = [line for line in reader.header[:-1] if not line.startswith(declaration)]
    with atomic_path(out) as temporary:
        # Biopython's BGZF writer: 3x faster than htslib's on a file this small, which also waits
        # for the disk (fdatasync) on every close.
        with bgzf.BgzfWriter(str(temporary), "wb") as handle:
            handle.write(("\n".join([*header, _info_line(), reader.header[-1]]) + "\n").encode(ENCODING))
            for line in records:
                handle.write((line + "\n").encode(ENCODING))
    pysam.tabix_index(str(out), preset="vcf", force=True)


def manifest_annotator(manifest: dict, tx, locus: Locus) -> Annotator:
    """The batch's annotator; the run's reference check already translated the CDS when it passed."""
    verified = manifest.get("reference_encodes_p08922")
    return Annotator(tx, locus, protein=protein() + "*" if verified else None)
