"""results.json antibody_of.total_words holds only the words no earlier test of antibody_before already stops at:
articles, possessives and degree words are name stop words, 'high'/'elevated' also start result phrases, and
'urine', 'CSF', 'fluid' close specimen words. Each such word before an immunoglobulin class still makes it the
total immunoglobulin, not an antibody against that word."""
import pytest

from converter.nlp.results import antibody_before, rules
from converter.nlp.tokens import tokenize

# the words removed from total_words because another list already stops the scan there
STOPPED_ELSEWHERE = ["csf", "fluid", "urine", "urinary", "his", "her", "their", "the", "a", "an", "its", "high", "low",
                     "raised", "reduced", "elevated", "increased", "decreased", "normal", "mildly", "markedly",
                     "slightly", "immunoglobulins"]


@pytest.mark.parametrize("word", STOPPED_ELSEWHERE)
def test_word_before_class_is_total(word):
    text = f"{word} IgG"
    toks = tokenize(text)
    assert antibody_before(toks, 0, len(toks) - 1, len(toks)) is None


@pytest.mark.parametrize("text,start", [("Cytomegalovirus IgM", "Cytomegalovirus"), ("specific IgE", "specific"),
                                        ("serum IgG", None), ("total IgE", None), ("polyclonal IgG", None)])
def test_words_before_class(text, start):
    toks = tokenize(text)
    p = antibody_before(toks, 0, len(toks) - 1, len(toks))
    assert (toks[p].text if p is not None else None) == start


def test_total_words_hold_no_word_stopped_elsewhere():
    R = rules()
    ends = {sp[-1] for sp in R.specimens}
    assert not {w for w in R.ab_total if w in R.stop or w in ends or w in R.word_starts or w in R.ab_stop}
