"""Benchmarks, load and fault scripts: run by hand (bench/README.md), not by the tests."""
