"""Throughline beside its peers, Doorstop and StrictDoc, on one generated tree and one job.

``python -m tests.benchmarks --peers`` builds the same mission -> vision -> strategy ->
goal -> work tree in each tool's own format (``tree``, ``formats``), installs the peers
into a virtual environment of their own, runs the job on each at every size ("load the
tree, name every unlinked item and every suspect link"), checks that each tool named
exactly the ground truth (``jobs``) and prints the times and ratios (``run``).
"""
