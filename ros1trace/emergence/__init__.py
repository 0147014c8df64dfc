"""Baseline vs progression: detection power, emergence status per variant, the resistance mechanism per patient."""
