"""One rule, asked by three readers: a semi-quantitative grade written right before a word is that word's grade
(converter/nlp/results.py graded_word). The lab reader (a lab named before the grade does not get it), the results
reader (the grade is named by the word after it) and the results reader's acceptance of a name before a grade each
had a copy with different conditions; the rows marked 'differed' pin the cases where those copies disagreed."""
import pytest

from converter.nlp.results import graded_word
from converter.nlp.tokens import tokenize
from converter.nlp.values import find_values
from tests.conftest import resources
from tests.test_probe_observations import render


def _graded(text, conditions=()):
    toks = tokenize(text)
    grade = find_values(text, 0, len(text))[0]
    blocked = [(a, b, "condition") for a, b in conditions]
    j = graded_word(toks, 0, len(toks), grade, blocked)
    return None if j is None else toks[j].text


@pytest.mark.parametrize("text,conditions,word", [
    ("Urinalysis showed 3+ protein.", (), "protein"),
    ("Urine dipstick showed 2+ blood and 3+ protein.", (), "blood"),
    ("Urinalysis showed protein 3+ and blood 2+.", (), None),  # a stop word after the grade
    ("Distal pulses were 2+ bilaterally.", (), None),  # after a linking verb: the subject's grade
    # differed: the lab reader took the word after a linking verb ("Reflexes were 3+ bilaterally")
    ("Reflexes were 3+ bilaterally.", (), None),
    # differed: the results reader took a capitalised word, the lab reader did not ("Protein 3+ Blood 2+")
    ("Protein 3+ Blood 2+ on dipstick.", (), None),
    # differed: the results reader took a word after more than one space, the lab reader did not
    ("Urine dipstick showed 2+  blood.", (), None),
    ("Urine dipstick showed 2+\nblood.", (), "blood"),  # one character between: both took it
    # differed: the results reader took a word with other characters than letters, the lab reader did not
    ("Urinalysis showed 1+ β2-microglobulin.", (), None),
    # differed: the lab reader refused only a condition's first word, the results reader its one- or two-word name
    # (which it still checks when it names the result)
    ("She had 2+ pitting edema.", ((5, 6),), "pitting"),
    ("She had 2+ pitting edema.", ((4, 6),), None),
    ("Urinalysis showed 2+ 3.5.", (), None),  # no word
    ("Urinalysis showed 12 protein.", (), None),  # no grade
])
def test_graded_word(text, conditions, word):
    assert _graded(text, conditions) == word


@pytest.mark.parametrize("text,expected", [
    ("Reflexes were 3+ bilaterally.", ["Reflexes = 3+"]),
    ("Urine protein was 3+ bilaterally.", ["Urine protein = 3+"]),
    # the results reader named the capitalised next item with the grade before it ("Blood = 3+")
    ("Protein 3+ Blood 2+ on dipstick.", ["Blood = 2+", "Protein = 3+"]),
    ("Urine dipstick showed 2+ Blood.", ["Urine dipstick = 2+"]),
    ("Proteinuria 3+ blood.", ["blood = 3+"]),
])
def test_grade_before_word_end_to_end(converter, text, expected):
    got = sorted(render(o) for o in resources(converter.text_to_dict(text), "Observation")
                 if o["code"].get("text", "").lower() != "age")
    assert got == expected
