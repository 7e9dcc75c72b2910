"""Measurements of strichka's analyses against the shared corpora in ../shared/data."""
