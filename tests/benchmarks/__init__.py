"""Benchmarks of a real Throughline: import, graph build, memory, latency and throughput.

Run them all with ``python -m tests.benchmarks`` (``--help`` lists the options); they print a
Markdown table and write it to ``tests/benchmarks/results.md``. ``pytest`` never collects
them (see ``conftest.py``).
"""
