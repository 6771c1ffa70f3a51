"""The results.json and nlp_rules.json loaders reject a list that holds an entry twice, and results.json lists
that must not share an entry (a word read forward is none read only backward; a unit accepted is none rejected)."""
import copy

import pytest

from converter.errors import MappingError
from converter.nlp import results as R
from converter.nlp.rules import _check_rules, _rules_json
from converter.resources import check_no_repeats, load_json


def _results():
    return copy.deepcopy(load_json(R.MAPPING))


def test_the_shipped_mappings_pass():
    R._check(_results())
    _check_rules(copy.deepcopy(_rules_json()))


@pytest.mark.parametrize("where", [
    ("forward_words",),  # a list at the top
    ("grades", "kinds"),  # a list inside an object
    ("measured_units", "entries", 0, "heads"),  # a list inside an entry of a list
])
def test_results_loader_rejects_a_repeat(where):
    d = _results()
    x = d
    for k in where:
        x = x[k]
    x.append(x[0])
    with pytest.raises(MappingError, match="twice"):
        R._check(d)


def test_results_loader_rejects_a_repeated_entry_object():
    d = _results()
    d["measured_units"]["entries"].append(copy.deepcopy(d["measured_units"]["entries"][0]))
    with pytest.raises(MappingError, match="measured_units.entries"):
        R._check(d)


@pytest.mark.parametrize("key", ["treatment_cues", "site_words"])
def test_nlp_rules_loader_rejects_a_repeat(key):
    d = copy.deepcopy(_rules_json())
    d[key].append(d[key][0])
    with pytest.raises(MappingError, match=key):
        _check_rules(d)


def test_nlp_rules_loader_rejects_a_repeat_in_a_word_table():
    d = copy.deepcopy(_rules_json())
    code, words = next(iter(d["other_measure_words"].items()))
    words.append(words[0])
    with pytest.raises(MappingError, match="other_measure_words"):
        _check_rules(d)


def test_forward_and_backward_only_words_are_disjoint():
    d = _results()
    d["backward_only_words"].append(d["forward_words"][0])
    with pytest.raises(MappingError, match="forward_words"):
        R._check(d)
    d = _results()
    w = d["forward_words"][0]
    d["result_words"][w.upper()] = d["result_words"][w]
    d["backward_only_words"].append(w.upper())  # the same token norms
    with pytest.raises(MappingError, match="backward_only_words"):
        R._check(d)


def test_accepted_and_rejected_ucum_are_disjoint():
    d = _results()
    d["accepted_ucum"].append(d["rejected_ucum"][0])
    with pytest.raises(MappingError, match="accepted_ucum"):
        R._check(d)


def test_repeats_are_exact_entries():
    check_no_repeats({"u": ["[IU]", "[iU]"], "v": [{"a": 1}, {"a": 2}]}, "x.json")  # case matters in units
    with pytest.raises(MappingError, match="v holds"):
        check_no_repeats({"v": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]}, "x.json")
