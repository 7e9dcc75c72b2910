"""Benchmarks: `make bench` runs each in its own process, so peak memory is its own."""
