"""The whole-word matcher and the definition normalizer of the shared language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.graph.language import (
    names_pattern,
    normalized_definition,
    prefilter_word,
    term_key,
    undefined_metrics,
    uses,
    vocabulary_terms,
    word_pattern,
)


@pytest.mark.parametrize(
    ("name", "text", "used"),
    [
        ("customer", "Who is our customer?", True),
        ("customer", "CUSTOMER", True),
        ("Customer", "the customer's view", True),
        ("customer", "(customer)", True),
        ("customer", "customer_success", True),  # an underscore is neither letter nor digit
        ("customer", "customers", False),
        ("customer", "ourcustomer", False),
        ("customer", "customer2", False),
        ("customer", "2customer", False),
        ("customer", "customers-ops", False),
        ("customers", "customers-ops", True),
        ("customer", "kundencustomerschaft", False),
        ("café", "Le CAFÉ.", True),
        ("café", "cafés", False),
        ("straße", "STRASSE", True),
        ("customer", "customerö", False),  # a letter beyond ASCII is a letter
        ("customer", "٣customer", False),  # so is a digit
        ("net revenue", "Net   revenue retention", True),
        ("net revenue", "net\nrevenue", True),
        ("net revenue", "netrevenue", False),
        ("net revenue", "net revenues", False),
        ("net revenue", "net-revenue", False),
        ("c++", "we write C++ here", True),
        ("customer", "", False),
    ],
)
def test_a_name_is_used_as_a_whole_word_ignoring_case(name, text, used):
    assert uses(word_pattern(name), text) is used


def test_any_name_of_a_term_counts():
    pattern = names_pattern(["Customer", "client", "account holder"])

    assert uses(pattern, "a client")
    assert uses(pattern, "an ACCOUNT  holder")
    assert not uses(pattern, "clients and customers")


def test_a_later_occurrence_counts_when_an_earlier_one_is_part_of_a_word():
    assert uses(word_pattern("customer"), "customers, and one customer")


def test_no_names_match_nothing():
    assert not uses(names_pattern([]), "anything")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Someone who pays us.", "someone who pays us"),
        ("someone  who\tpays us", "someone who pays us"),
        ("  SOMEONE who pays us. ", "someone who pays us"),
        ("Someone who pays us..", "someone who pays us."),
        ("Someone who pays us!", "someone who pays us!"),
        (".", ""),
    ],
)
def test_definitions_are_normalized(text, normal):
    assert normalized_definition(text) == normal


def test_definitions_differing_in_case_spaces_and_final_period_agree():
    found = vocabulary_terms(
        [
            (1, 10, "Someone who pays us."),
            (1, 11, "someone  WHO pays us"),
            (1, None, "Someone who pays us"),
        ]
    )

    assert found == {}


def test_truly_different_definitions_divide_a_term():
    found = vocabulary_terms([(1, 11, "Who pays."), (1, 10, "Who uses it."), (1, None, "Who pays")])

    assert found == {1: [10, 11]}


def test_term_keys_compare_case_and_whitespace_away():
    assert term_key("Customer  Success") == term_key(" customer success")


@given(st.text(min_size=1, max_size=30).filter(str.strip))
def test_every_name_is_used_by_itself(name):
    assert uses(names_pattern([name]), name)


@given(st.text(min_size=1, max_size=30), st.text(max_size=20), st.text(max_size=20))
def test_the_prefilter_word_is_in_every_text_using_the_name(name, before, after):
    text = f"{before} {name} {after}"
    if uses(names_pattern([name]), text) and text.isascii():
        assert prefilter_word(name) in text.casefold()


def test_undefined_metrics_need_two_teams_and_live_goals():
    nodes = {
        1: {"kind": "goal", "status": "active", "team_id": 7},
        2: {"kind": "goal", "status": "active", "team_id": 7},
        3: {"kind": "goal", "status": "archived", "team_id": 8},
        4: {"kind": "goal", "status": "draft", "team_id": 9},
        5: {"kind": "goal", "status": "active"},
    }
    krs = {
        1: [{"metric": "one.team"}, {"metric": "two.teams"}, {"metric": "defined"}],
        2: [{"metric": "one.team"}],
        3: [{"metric": "one.team"}],
        4: [{"metric": "two.teams"}, {"metric": "defined"}],
        5: [{"metric": "two.teams"}],
    }

    found = undefined_metrics(nodes, krs, ["defined"])

    assert found == [{"metric": "two.teams", "team_ids": [7, 9], "node_ids": [1, 4, 5]}]
