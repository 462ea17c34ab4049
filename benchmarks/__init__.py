"""Benchmarks to run by hand from the repository's root, as modules: ``python -m benchmarks.bench_losses``.

Not timed tests; the results and their history are in benchmarks/README.md.
"""
