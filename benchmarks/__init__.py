"""Benchmarks (not tests): medians of repeated runs, and ratios against a baseline in the same run."""
