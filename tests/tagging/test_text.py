"""Folding: one character in, one character out, the same rule in the ASCII fast path and the general one."""
from __future__ import annotations

import pytest

from pipeline.tagging.text import fold, is_all_caps

SAMPLES = ["U.S.-China trade_talks (Reuters) - \"Done\", he said!", "tab\there\x03ctrl\x7fdel", "A_B c-d e/f",
           "MOSCOW, June 19 - Putin's visit", ""]


@pytest.mark.parametrize("text", SAMPLES)
def test_ascii_characters_fold_alike_with_or_without_non_ascii_text_beside_them(text):
    assert fold(text + " é")[:len(text)] == fold(text)
    assert len(fold(text)) == len(text)


def test_non_ascii_marks_are_boundaries_and_letters_are_lower_cased():
    assert fold("“Russia’s” Ölkrise — €5 İstanbul") == " russia s  ölkrise    5 İstanbul"
    assert fold("x\ud800y") == "x y"  # a lone surrogate keeps its offset


def test_all_caps_counts_ascii_letters_only():
    assert is_all_caps("RUSSIA’S KREMLIN SAYS “NO”")
    assert not is_all_caps("Russia’s Kremlin says “no”")
