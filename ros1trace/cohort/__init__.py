"""The cohort: merged tables, statistics, power, survival, the paper audit, figures, the report and patient pages."""
