"""Benchmark support inside the app: ``flask bench seed`` writes a realistic data set for the load tests in bench/."""
