"""Keep the benchmarks out of ``pytest``: they take minutes and run with
``python -m tests.benchmarks`` instead."""

collect_ignore_glob = ["*"]
