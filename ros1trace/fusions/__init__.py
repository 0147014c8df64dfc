"""ROS1 fusions: read caller output, orient and classify each junction, summarise per patient.

Modules, each with one job (the biology and format rules are in each module's header):

* :mod:`.genes`     gene table of the build (partners, strands, exon models, optional GTF), names
* :mod:`.formats`   format detection, parsers (VCF SV/BND, Arriba, STAR-Fusion, FusionCatcher,
                    generic TSV) to one junction model, and writers for synthetic data
* :mod:`.vcf_text`  SV VCF header declarations and records, read as text lines
* :mod:`.wrong_build` a fusion file of the other genome build (its ROS1 breakpoints) stops the run
* :mod:`.classify`  5'/3' orientation, class (canonical / five_prime_ros1 / other), breakpoint
                    exon/intron, kinase retained, events and duplicate calls
* :mod:`.summary`   a patient's fusion columns of patients.tsv
* :mod:`.stage`     the workflow rule ``fusions`` (a batch of samples -> fusions.tsv)

Kept light on purpose: stdlib plus cyvcf2 (imported only for BCF input); no pandas/scipy.
"""
