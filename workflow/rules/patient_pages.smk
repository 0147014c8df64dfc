# One page per patient (patients/<patient_id>.html + .json), from the cohort tables: one job for
# the cohort (a page costs about a millisecond; thousands of jobs would cost more than the pages).


rule patient_pages:
    input:
        manifest=rules.manifest.output[0],
        patients=rules.tables.output.patients,
        variants=rules.tables.output.variants,
        fusions=rules.tables.output.fusions,
        emergence=rules.tables.output.emergence,
    output:
        report(
            directory(f"{OUT}/patients"),
            patterns=["{patient_id}.html"],
            caption="../report/patient_pages.rst",
            category="Patient pages",
            labels={"patient": "{patient_id}"},
        ),
    params:
        cli=ROS1TRACE,
        tables_dir=lambda w, input: os.path.dirname(input.patients),
    log:
        f"{OUT}/logs/patient_pages/patient_pages.log",
    benchmark:
        f"{OUT}/benchmarks/patient_pages/patient_pages.tsv"
    conda:
        "../envs/cohort.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 15 * attempt,
    shell:
        "{params.cli} patient-pages --manifest {input.manifest} --tables-dir {params.tables_dir}"
        " --outdir {output} --log {log}"
