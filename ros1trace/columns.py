"""Column names of the output tables: the contract's columns first (fixed), then our additions."""

VARIANTS = (
    "patient_id sample_id timepoint sample_type chrom pos ref alt transcript exon intron hgvs_c hgvs_p "
    "protein_change consequence in_kinase_domain known_resistance vaf depth alt_reads filter"
).split() + (
    "called resistance_status resistant_to sensitive_to catalog_source merged_from phase_evidence "
    "genotype caller_dialect"
).split()

FUSIONS = (
    "patient_id sample_id timepoint gene5 gene3 partner fusion_class ros1_breakpoint kinase_retained support"
).split() + (
    "class_reason partner_breakpoint partner_transcript chrom5 pos5 strand5 chrom3 pos3 strand3 event_id "
    "source_format source_record"
).split()

EMERGENCE = (
    "patient_id protein_change hgvs_c status baseline_vaf baseline_depth baseline_alt_reads "
    "progression_vaf detection_power"
).split() + (
    "qualifying progression_alt_reads progression_depth progression_samples baseline_samples "
    "baseline_evidence chrom pos ref alt consequence"
).split()

PATIENTS = (
    "patient_id progression_site fusion_partner partner_group multiple_fusions five_prime_ros1_partners "
    "emergent_ros1_mutations ros1_mutation_status resistance_mechanism off_target_alterations"
).split() + (
    "ros1_mutations_at_progression fusion_status fusion_note n_baseline_samples n_progression_samples "
    "progression_sample_types notes"
).split()
