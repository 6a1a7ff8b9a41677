"""tools/cue_census.py: the words each pair-cue term matched, counted once per pair sentence."""
from __future__ import annotations

import runpy

import pytest

from pipeline.seeds import load_tagger
from tests.conftest import PROJECT_ROOT

TOOL = runpy.run_path(str(PROJECT_ROOT / "tools" / "cue_census.py"))


def test_census_counts_each_pair_sentence_once_and_names_the_matched_words():
    documents = [("Russia and China signed an agreement", "Japan accused China of threats against Korea."),
                 ("", "Exports rose, according to figures from Japan and China. Japan and China agreed.")]
    found = TOOL["census"](documents, load_tagger())
    assert found[("cooperation", "agree*")] == {"agreement": 1, "agreed": 1}
    assert found[("confrontation", "accus*")] == {"accused": 1}  # one sentence, three pairs: counted once
    assert ("cooperation", "accord") not in found  # "according" is not the cue "accord"
    table = TOOL["format_census"](found, top=2).splitlines()
    assert len(table) == 2 and table[0].split()[:3] == ["cooperation", "agree*", "2"]


@pytest.mark.corpus
def test_census_reads_every_shared_source(shared_data):
    from itertools import islice

    documents = list(TOOL["shared_documents"](shared_data))
    assert len(documents) > 18_279 + 556  # Reuters dev, geoparsing dev and the captured feeds' entries
    assert TOOL["census"](islice(documents, 2_000), load_tagger())
