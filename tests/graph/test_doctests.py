import doctest
import importlib

import pytest

MODULES = [
    "service.graph.alignment",
    "service.graph.census",
    "service.graph.clarity",
    "service.graph.overruns",
    "service.graph.gather",
    "service.graph.impact",
    "service.graph.market",
    "service.graph.progress",
    "service.graph.teams",
    "service.graph.trace",
    "service.graph.walks",
    "service.graph.export",
    "service.graph.export_table",
    "service.graph.language",
    "service.ui.charts",
    "service.ui.thread",
    "service.domain.rules",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))

    assert result.attempted > 0
    assert result.failed == 0
