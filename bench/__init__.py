"""Benchmark corpus generator and runner (see bench/README.md)."""
