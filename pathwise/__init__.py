"""Pathwise: software for running a cohort-based professional certification program."""
