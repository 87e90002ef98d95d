"""Benchmarks, load runs and the synthetic data they measure (see README.md).

Scripts run from the project root, as ``python bench/run.py`` or
``python -m bench.generate_scale_data``; none is part of the site.
"""
