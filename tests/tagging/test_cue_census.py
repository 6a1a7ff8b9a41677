"""tools/cue_census.py: the words each pair-cue term matched, counted once per pair sentence."""
from __future__ import annotations

import runpy

import pytest

from pipeline.seeds import DEFAULT_SEEDS_DIR, load_tagger, load_tagger_data
from pipeline.tagging.topics import EndingRule
from tests.conftest import PROJECT_ROOT

TOOL = runpy.run_path(str(PROJECT_ROOT / "tools" / "cue_census.py"))


def census(documents):
    return TOOL["census"](documents, load_tagger(), EndingRule(load_tagger_data(DEFAULT_SEEDS_DIR).cue_endings))


def test_census_counts_each_pair_sentence_once_and_names_the_matched_words():
    documents = [("Russia and China signed an agreement", "Japan accused China of threats against Korea."),
                 ("", "Exports rose, according to figures from Japan and China. Japan and China agreed.")]
    found = census(documents)
    assert found[("cooperation", "agree*")] == {"agreement": 1, "agreed": 1}
    assert found[("confrontation", "accus*")] == {"accused": 1}  # one sentence, three pairs: counted once
    assert ("cooperation", "accord") not in found  # "according" is not the cue "accord"
    table = TOOL["format_census"](found, top=2).splitlines()
    assert len(table) == 2 and table[0].split()[:3] == ["cooperation", "agree*", "2"]


def test_families_that_count_for_neither_side_are_listed_apart_and_an_ending_verb_by_what_it_ended():
    """cues.toml's `neutral` phrases and [endings] verbs were ranked as cue families beside cooperation and
    confrontation: "end" (229 pair sentences of the shared data) led the table, though of the 503 ending verbs there
    10 ended a cooperation word, the only ones that make a cue."""
    found = census([("", "Chad ended its defence cooperation agreement with France."),
                    ("", "Japan and China said the talks would end next year."),
                    ("", "Sudan's Rapid Support Forces shelled a camp near Chad."),
                    ("", "Russia and China agreed on arms\nsales.")])
    assert found[("ending", "ended")] == {"ended its defence cooperation agreement": 1}
    assert ("ending", "end") not in found, "an ending verb that ends nothing is no cue"
    assert found[("neutral", "Rapid Support Forces")] == {"rapid support forces": 1}
    assert found[("cooperation", "arms sale*")] == {"arms sales": 1}, "matched words on one line"
    cues, neutral, endings = TOOL["format_census"](found, top=80).split("\n\n")
    assert {line.split()[0] for line in cues.splitlines()} == {"cooperation", "confrontation"}
    assert neutral.splitlines()[0].startswith("neutral:") and neutral.splitlines()[1].split()[0] == "neutral"
    assert endings.splitlines()[0].startswith("ending:") and endings.splitlines()[1].split()[:3] == [
        "ending", "ended", "1"]


@pytest.mark.corpus
def test_census_reads_every_shared_source(shared_data):
    from itertools import islice

    documents = list(TOOL["shared_documents"](shared_data))
    assert len(documents) > 18_279 + 556  # Reuters dev, geoparsing dev and the captured feeds' entries
    assert census(islice(documents, 2_000))
