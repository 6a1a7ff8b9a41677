"""Country, pair and topic tagging with evidence spans: pure functions, no I/O.

Build a Tagger with pipeline.seeds.load_tagger() (it reads the seed files once per process).
"""
from ..native import choose_copy

RUNNING = choose_copy(__path__)  # "compiled", or why the pure-Python sources run; before any submodule import

from .lexicon import (AmbiguousSurface, CueEndings, FocusRule, LanguageGuide, ListWords, OwnScan, PairWord, PartyWords,
                      PlaceEntry, ScriptRule, TaggerData, TopicLexicon)
from .model import TOPICS, ArticleTags, Mention, PairSentence, TopicHit, TopicScore
from .tagger import CODE_VERSION, Tagger

__all__ = [
    "TOPICS", "ArticleTags", "Mention", "PairSentence", "TopicHit", "TopicScore", "Tagger", "CODE_VERSION",
    "TaggerData", "LanguageGuide", "ScriptRule", "OwnScan", "PairWord", "PlaceEntry", "AmbiguousSurface", "TopicLexicon",
    "FocusRule", "ListWords", "PartyWords", "CueEndings", "RUNNING",
]
