"""Small variants: VCF reading (dialects, normalisation), annotation on NM_002944.2, same-codon haplotypes, BAM reads, off-target alterations, the MAF."""
