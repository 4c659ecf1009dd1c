"""Benchmarks and load scenarios (not part of the test run); results go to docs/performance.md."""
