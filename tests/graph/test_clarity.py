"""Clarity on literal inputs (DOMAIN.md 13): words, stems, agreement and what is missing."""

from __future__ import annotations

import networkx as nx
import pytest

from service.graph import agreement, clarity, clarity_mask, content_stems
from service.graph.clarity import CLARITY_BITS, words

ALL_STATED = ["u", "b", "t", "m"]


def test_identical_texts_agree_fully():
    assert agreement(("Safe roads for every family", "Safe roads for every family")) == 1.0


def test_texts_with_no_content_word_in_common_agree_not_at_all():
    assert agreement(("Safer roads", "Cheaper insurance")) == 0.0


def test_stems_join_ships_and_shipping():
    assert content_stems("ships") == content_stems("shipping") == {"ship"}
    assert agreement(("It ships", "We are shipping")) == 1.0


def test_stop_words_and_short_runs_are_left_out_before_stemming():
    assert content_stems("We are on it, and it is the way to go") == {"way"}
    assert content_stems("R2D2 ships 3x faster") == {"ship", "faster"}


def test_agreement_is_the_mean_over_all_pairs():
    # {ship, fast} / {ship, slowli} / {ship, fast}: pairs 1/3, 1, 1/3
    value = agreement(("Ships fast", "Shipping slowly", "Ship fast"))

    assert value == pytest.approx((1 / 3 + 1 + 1 / 3) / 3)


def test_agreement_needs_two_restatements():
    assert agreement(()) is None
    assert agreement(("Alone",)) is None


def test_two_texts_without_content_words_have_nothing_in_common():
    assert agreement(("it is", "we are")) == 0.0


def test_a_word_is_a_run_of_letters_or_digits_in_any_script():
    assert words("Zürich's 2 cafés_open") == ["Zürich", "s", "2", "cafés", "open"]


def test_a_destination_takes_five_words():
    assert not clarity_mask([None] * 4, "Safe roads for all") & CLARITY_BITS["destination"]
    assert clarity_mask([None] * 4, "Safe roads for all of us") == CLARITY_BITS["destination"]


def test_blank_fields_are_not_stated():
    assert clarity_mask([" ", "\n", "", None]) == 0


def _graph(**nodes):
    G = nx.DiGraph()
    for name, attributes in nodes.items():
        G.add_node(int(name[1:]), **attributes)
    return G


def test_each_kind_lists_its_own_missing_parts_in_order():
    G = _graph(
        n1={"kind": "vision", "status": "active", "clarity": CLARITY_BITS["measure"]},
        n2={"kind": "goal", "status": "draft", "clarity": CLARITY_BITS["business_outcome"]},
        n3={"kind": "strategy", "status": "active"},
        n4={"kind": "work", "status": "active"},
    )

    found = clarity(G, key_result_goals=[], unanchored=[1], restatements={})

    assert [(e["node"], e["missing"]) for e in found] == [
        (1, ["destination", "user_outcome", "business_outcome", "target_group", "need"]),
        (2, ["measure", "user_outcome"]),
    ]


def test_divergence_takes_three_restatements_below_a_fifth():
    full = clarity_mask(ALL_STATED, "one two three four five")
    G = _graph(n1={"kind": "vision", "status": "active", "clarity": full})
    two = {1: ["Faster cars", "Cheaper insurance"]}
    three = {1: ["Faster cars", "Cheaper insurance", "Happier dealers"]}
    agreeing = {1: ["Safer cars", "Safer cars today", "Cars made safer"]}

    assert clarity(G, [], [], two) == []
    assert clarity(G, [], [], three)[0]["divergent"] is True
    assert clarity(G, [], [], agreeing) == []
