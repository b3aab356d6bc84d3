"""Benchmarks (not tests): medians of repeated runs, and ratios against a baseline in one run."""
