"""Folding: one character in, one character out, the same rule in the ASCII fast path and the general one."""
from __future__ import annotations

import random
import re
import sys
import tomllib
import unicodedata

import pytest

from pipeline.paths import SEEDS
from pipeline.tagging.text import (_ABBREVIATIONS, _ENDING_ABBREVIATIONS, _DATE_WORDS, _SENTENCE_OPENERS,
                                   _SQUEEZABLE_BEYOND_ASCII, _STATE_ABBREVIATIONS, _abbreviation,
                                   _squeezable_beyond_ascii, _ascii_gaps, _breaks, fold, is_all_caps,
                                   is_english, is_hangul, is_katakana, is_letter, is_title_case, name_words,
                                   end_before_squeeze, may_squeeze, parts_words, sentence_spans, splits_between,
                                   squeezed, start_before_squeeze)

SAMPLES = ["U.S.-China trade_talks (Reuters) - \"Done\", he said!", "tab\there\x03ctrl\x7fdel", "A_B c-d e/f",
           "MOSCOW, June 19 - Putin's visit", ""]


@pytest.mark.parametrize("text", SAMPLES)
def test_ascii_characters_fold_alike_with_or_without_non_ascii_text_beside_them(text):
    assert fold(text + " é")[:len(text)] == fold(text)
    assert len(fold(text)) == len(text)


def test_non_ascii_marks_are_boundaries_and_letters_are_lower_cased():
    assert fold("“Russia’s” Ölkrise — €5 İstanbul") == " russia s  ölkrise    5 istanbul"  # one code point for İ
    assert fold("x\ud800y") == "x y"  # a lone surrogate keeps its offset
    assert fold("Côte dʼIvoire, Russiaʼs") == "côte d ivoire  russia s"  # U+02BC: a letter to Unicode, typed as "'"


def reference_fold(text: str) -> str:
    """The rule: letters and digits lower-cased ("İ" to one "i"), every other character a space, and so is the
    modifier letter apostrophe "ʼ". (Per character, so no Greek final sigma in the alphabet below: str.lower reads that
    one in context.)"""
    return "".join(("i" if char == "İ" else char.lower()) if char.isalnum() and char != "ʼ" else " " for char in text)


def test_every_path_of_fold_follows_the_rule():
    """ASCII only; non-ASCII symbols only (curly quotes, dashes: the fast path); non-ASCII letters or digits."""
    rng = random.Random(11)
    for alphabet in ("aZ9 .,'_-\t\x7f", "aZ9 .,’“”—€\u00a0\ud800", "aZ9 .,’—éÖ½²İжß日ʼ"):
        for _ in range(2000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
            assert fold(text) == reference_fold(text), repr(text)


def test_all_caps_counts_ascii_letters_only():
    assert is_all_caps("RUSSIA’S KREMLIN SAYS “NO”")
    assert not is_all_caps("Russia’s Kremlin says “no”")


def test_all_caps_needs_four_capitals_and_nine_for_each_lower_case_letter():
    """A mutation test found both thresholds untested at their edges."""
    assert is_all_caps("NATO") and not is_all_caps("USA")
    assert is_all_caps("ABCDEFGHIj") and not is_all_caps("ABCDEFGHi")


def test_title_case_counts_words_of_four_letters_or_more_three_in_four_capitalised():
    """Whether "Kim" after a first name may be a person hangs on it; a mutation test found its edges untested."""
    assert is_title_case("Iran and the U.S. Sign a Deal on the Nuclear Talks")  # "and", "the", "on" not counted
    assert is_title_case("Seoul Hosts Tokyo Talks over Trade with Beijing")  # 6 of 8 capitalised: just enough
    assert not is_title_case("Sanctions")  # one word shows no style


def test_character_classes_at_their_edges():
    """A mutation test found each edge untested: the first and last hangul syllables, the katakana middle dot (a word
    separator), the zero-width space between words, an ASCII control character as a boundary."""
    assert is_hangul("\uac00") and is_hangul("\ud7a3") and not is_hangul("\ud7a4")
    assert is_katakana("\u30fa") and not is_katakana("\u30fb")
    assert parts_words("\u200b") and not parts_words("a")
    assert fold("a\x1fb") == "a b"


# The sentence-break rule as the regex it was written as (pipeline/tagging/text.py spells it out by hand).
# [^\W\d_a-z] is a letter that is not an ASCII lower-case one; the check after the match drops the other
# lower-case letters ("é", "ж"), which the regex cannot name. A line break is "\r\n" or "\n\r" (possessive: never
# split in two), "\n", "\r", "\v", NEL or the line separator; the form feed and the paragraph separator are a
# paragraph break each.
LINE_BREAK = r"(?:\r\n?+|\n\r?+|[\v\x85\u2028])"
BREAK = re.compile(r"[。！？][」』）\"'”’)\]]*|"
                   r"[.!?؟۔।][\"'”’)\]]*(?=\s+[\"“‘(\[]?([0-9]|[^\W\d_a-z]))"
                   rf"|{LINE_BREAK}(?:[ \t]*{LINE_BREAK}|[ \t]{{2,}})|[\f\u2029]")
OPENER = re.compile(rf"\s*(?:{'|'.join(sorted(_SENTENCE_OPENERS, key=len, reverse=True))})(?:['’][a-z]+)?,?[ \t]+[a-z]")
# a state's abbreviation after a town ends its sentence before a word that is no month's or weekday's name
WORD_NEXT = re.compile(rf"[\W_]*(?!(?i:{'|'.join(sorted(_DATE_WORDS, key=len, reverse=True))})(?![^\W\d_]))[^\W\d_]")


# "No." abbreviates a number only before one
NO_NUMBER_NEXT = re.compile(r"\s*[^\d\s]")


def ends_on_abbreviation(text: str, period: int, end: int, stop: int, word: str) -> bool:
    if word in _STATE_ABBREVIATIONS and text[max(period - len(word) - 2, 0):period - len(word)] == ", ":
        return WORD_NEXT.match(text, end) is not None
    if word == "no":
        return NO_NUMBER_NEXT.match(text, end, stop) is not None
    return word in _ENDING_ABBREVIATIONS and OPENER.match(text, end) is not None


def regex_breaks(text: str, start: int, stop: int, enough_after: int) -> list[int]:
    found = []
    for match in BREAK.finditer(text, start, stop):
        word = _abbreviation(text, match.start()) if text[match.start()] == "." else None
        if word is not None and not ends_on_abbreviation(text, match.start(), match.end(), stop, word):
            continue
        if match.group(1) and match.group(1).islower():
            continue
        found.append(match.end())
        if match.end() > enough_after:
            break
    return found


def test_sentence_breaks_follow_the_regex_on_random_text():
    pieces = [".", "!", "?", "\n", "\r", "\r\n", "\n\r", "\v", "\f", "\x85", "\u2028", "\u2029", " ", "  ", "\t", "\"", "'", "”", "’", ")", "]", "“", "‘", "(", "[", "A", "Z", "0",
              "9", "a", "x", "\u00a0", "\u2003", "Mr", "U.S", "Inc", "The", "It", "Theater", "U.K", "He’ll", "’s", "a", ",", ", Wis", ", N.Y", "Del", "March", "Mayor", "Sunday", "é", "É", "Ж", "ж", "。", "！", "？", "」", "』", "）", "no", "No", "ore", "Ore", "5", "13-0",
              "日本", "한국", "_", "؟", "۔", "روسيا", "।", "रूस"]
    generator = random.Random(20261129)
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(0, 24)))
        start = generator.randrange(0, len(text) + 1)
        stop = generator.randrange(start, len(text) + 1)
        enough_after = generator.choice([start, stop, len(text), generator.randrange(start, stop + 1)])
        assert _breaks(text, start, stop, enough_after) == regex_breaks(text, start, stop, enough_after), \
            (text, start, stop, enough_after)


def test_full_width_marks_end_a_sentence_with_no_space_after_them():
    text = "ロシアの大統領が平壌を訪問。「歓迎する」と述べた！アメリカは懸念？（終）"
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "ロシアの大統領が平壌を訪問。", "「歓迎する」と述べた！", "アメリカは懸念？", "（終）"]


def test_urdu_full_stop_and_arabic_question_mark_end_a_sentence():
    urdu = "پاکستان نے امداد مانگی۔ امریکہ نے انکار کیا۔"
    assert [urdu[start:end] for start, end in sentence_spans(urdu)] == ["پاکستان نے امداد مانگی۔", "امریکہ نے انکار کیا۔"]
    arabic = "هل تزور روسيا؟ قالت الصين إنها لن تفعل."
    assert [arabic[start:end] for start, end in sentence_spans(arabic)] == ["هل تزور روسيا؟", "قالت الصين إنها لن تفعل."]


@pytest.mark.parametrize("abbreviation", sorted(_ABBREVIATIONS))
def test_a_full_stop_after_an_abbreviation_ends_no_sentence_and_after_a_longer_word_does(abbreviation):
    """Every listed abbreviation, the longest ("messrs") included, and the same word with one letter more."""
    for word, ends in ((abbreviation.title(), True), (abbreviation.title() + "q", False)):
        text = f"Talks with {word}. Smith went on"
        assert (_abbreviation(text, text.index(". S")) is not None) is ends, word
        assert (_abbreviation(text.replace(" ", "\n"), text.index(". S")) is not None) is ends, word


@pytest.mark.parametrize(("text", "sentences"), [
    # a fact-checker's review: the second sentence's "war" made the first one's pairs military
    ("Russia, China, Iran and North Korea are all at odds with the U.S. That doesn't mean they will fight together.",
     ["Russia, China, Iran and North Korea are all at odds with the U.S.", "That doesn't mean they will fight together."]),
    ("Sanctions were imposed by the U.S. Russia and Iran responded.", None),  # a name after it: ambiguous, kept
    ("He bought Acme Inc. The deal closed, said Al Roe Jr. It was done.",
     ["He bought Acme Inc.", "The deal closed, said Al Roe Jr.", "It was done."]),
    ("The U.S. Theater Command met.", None),  # "Theater" is no opener
    ("Putin Tells U.S. He’ll End the War if He Gets Eastern Ukraine", None),  # a title-case headline
    ("Putin told the U.S. he’ll halt the war. He’ll want more.", ["Putin told the U.S. he’ll halt the war.",
                                                                 "He’ll want more."]),
    ("It is up to the U.K. However, the talks go on.", ["It is up to the U.K.", "However, the talks go on."]),
    ("Gen. The", None),  # a title never ends a sentence
    ("Est. 12,000 North Korean soldiers are in Russia. Approx. 10,000 were sent. Ca. 1990 it began.",
     ["Est. 12,000 North Korean soldiers are in Russia.", "Approx. 10,000 were sent.", "Ca. 1990 it began."]),
])
def test_a_sentence_may_end_on_an_abbreviation_when_a_word_opening_sentences_follows(text, sentences):
    assert [text[start:end] for start, end in sentence_spans(text)] == (sentences or [text])


@pytest.mark.parametrize("text", [
    "He met John F. Kennedy in Washington.",  # a middle initial
    'He said ("Gen. Smith agreed") yes.',  # an abbreviation after an opening bracket and quote
    "Talks with (Messrs. Smith and Jones) went on.",  # the longest one, behind a bracket
])
def test_a_full_stop_after_an_initial_or_a_bracketed_abbreviation_ends_no_sentence(text):
    """Split there, a pair named across it would no longer share a sentence."""
    assert sentence_spans(text) == [(0, len(text))]


@pytest.mark.parametrize(("text", "sentences"), [
    # a number ends a sentence: a digit was read as an initial ("John F. Kennedy"), and the next sentence's country
    # paired with this one's (a splitter audit; Reuters dev: "on January 2. The United States conducts no trade ...")
    ("Poland asked NATO to invoke Article 5. Russia denied it.", ["Poland asked NATO to invoke Article 5.",
                                                                 "Russia denied it."]),
    ("A quake in Taiwan measured 6.1. China offered help.", ["A quake in Taiwan measured 6.1.", "China offered help."]),
    ("The U.S. draft passed 13-0. Russia and China abstained.", ["The U.S. draft passed 13-0.",
                                                                 "Russia and China abstained."]),
    ("He is ranked No. 1. China is second.", ["He is ranked No. 1.", "China is second."]),
    ("He is ranked No. 1 in Asia, above China.", None),  # "No." before a number abbreviates it
    ("Russia voted no. China abstained.", ["Russia voted no.", "China abstained."]),  # else it is the word
    # a state's abbreviation that is also a word, in lower case, is that word
    ("China buys Australian iron ore. Japan comes second.", ["China buys Australian iron ore.", "Japan comes second."]),
    ("The supreme leader is ill. Russia sent doctors.", ["The supreme leader is ill.", "Russia sent doctors."]),
    ("He beat former Del. Brian Moran, who met China's envoy.", None),
    # titles and names the list lacked ended the sentence in their middle
    ("South Korea's Amb. Lee Do-hoon summoned Russia's envoy.", None),
    ("South Korean Brig. Gen. Kim said North Korean troops were in Russia.", None),
    ("Sens. Smith and Jones met Japan's envoy; Warner Bros. Discovery sold it to China.", None),
])
def test_numbers_words_and_titles_at_a_full_stop(text, sentences):
    assert [text[start:end] for start, end in sentence_spans(text)] == (sentences or [text])


def test_the_splitter_knows_every_state_abbreviation_of_the_gazetteer_rules():
    """Two lists of one thing: the splitter's (compiled, no seed access) and the dateline reader's. They had drifted:
    "Calif." was an abbreviation and "Ariz." none, so "Phoenix, Ariz." ended a sentence and "Sacramento, Calif." not."""
    rules = tomllib.loads((SEEDS / "gazetteer" / "rules.toml").read_text(encoding="utf-8"))
    dotted = {name.lower().removesuffix(".") for name in rules["us_state_abbreviations"]
              if name.endswith(".") and " " not in name}
    assert dotted == _STATE_ABBREVIATIONS


@pytest.mark.parametrize(("text", "sentences"), [
    ("The plant is in Kenosha, Wis. The company said Russia and China bought it.",
     ["The plant is in Kenosha, Wis.", "The company said Russia and China bought it."]),
    ("He lives in Phoenix, Ariz. Russia and China sent envoys.", ["He lives in Phoenix, Ariz.",
                                                                 "Russia and China sent envoys."]),
    ("He lives in Sacramento, Calif. Russia and China sent envoys.", ["He lives in Sacramento, Calif.",
                                                                     "Russia and China sent envoys."]),
    ("Write to Kenosha, Wis. 53140 about Russia and China.", None),  # a ZIP code goes on the address
    ("He beat former Del. Brian Moran, who met China's and Russia's envoys.", None),  # a delegate, not the state
    ("SEATTLE, Wash., March 3 - Russia and China met.", None),  # a dateline's state
    ("RICHMOND, Va. Feb 26 - Russia and China met.", None),  # a dateline's state with no comma after it
    ("LAKE SUCCESS, N.Y. March 3 - Russia and China met.", None),
    ("China's envoy met officials in Washington, D.C. Tuesday to discuss Japan.", None),  # a review of 1.44: a day
    ("He lives in Lansing, Mich. Mayor Smith met Russia's and China's envoys.",
     ["He lives in Lansing, Mich.", "Mayor Smith met Russia's and China's envoys."]),  # a word that starts as a month's
])
def test_a_state_abbreviation_after_a_town_ends_a_sentence_before_a_word(text, sentences):
    assert [text[start:end] for start, end in sentence_spans(text)] == (sentences or [text])


def test_splits_between_sees_the_sentence_that_starts_at_stop():
    """The same-sentence test for a pair: Russia and China here are in two sentences."""
    text = "Russia acts. China waits."
    assert splits_between(text, text.index("Russia"), text.index("China"))
    assert not splits_between(text, text.index("Russia"), text.index("acts"))


@pytest.mark.parametrize("text", ["中国反对。美国回应", "Russia acts. China waits. Iran too",
                                  "Talks (Yes.) 3 more"])
def test_sentences_up_to_an_offset_are_the_first_sentences_and_include_the_one_starting_there(text):
    """A full-width stop needs no space after it, so the next sentence starts right at the break: a mutation test found
    `until` at that offset untested."""
    spans = sentence_spans(text)
    for until in range(len(text)):
        limited = sentence_spans(text, until)
        assert limited == spans[:len(limited)] and all(span in limited for span in spans if span[0] <= until), until


@pytest.mark.parametrize("edge", ["\t", "\n", "\u3000", " \t"])
def test_a_sentence_is_trimmed_of_any_whitespace_at_its_edges(edge):
    text = f"{edge}Russia acts.{edge}"
    assert sentence_spans(text) == [(len(edge), len(edge) + len("Russia acts."))]


def test_sentence_spans_of_a_wire_story():
    text = ("WASHINGTON, March 3 - U.S. officials said on Tuesday. \"We agree,\" Mr. Smith said! Talks end.\n\n"
            "  New paragraph? (Yes.) 3 more")
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "WASHINGTON, March 3 - U.S. officials said on Tuesday.", "\"We agree,\" Mr. Smith said!", "Talks end.",
        "New paragraph?", "(Yes.)", "3 more"]


@pytest.mark.parametrize("blank_line", ["\n\n", "\r\n\r\n", "\n\r\n", "\r\n\n", "\r\r", "\r\n \t\r\n", "\r\n  ",
                                        "\n\r\n\r", "\v\v", "\u2028\u2028", "\x85\n", "\n \v", "\f", "\u2029", " \u2029 ",
                                        "\n\f"])
def test_a_blank_line_ends_a_sentence_whatever_its_line_breaks(blank_line):
    """Windows' "\r\n", "\n\r", the old Mac "\r", the vertical tab, NEL and the line separator are line breaks as "\n" is,
    and the form feed and the paragraph separator a paragraph break each: a pair sentence must not span two paragraphs."""
    text = f"Talks with Russia{blank_line}China said no"
    assert [text[start:end] for start, end in sentence_spans(text)] == ["Talks with Russia", "China said no"]


@pytest.mark.parametrize("line_break", ["\r\n", "\r", "\n", "\r\n ", "\n\r", "\n\r ", "\v", "\x85", "\u2028"])
def test_one_line_break_ends_no_sentence(line_break):
    """"\r\n" and "\n\r" are one line break each, not two: wrapped lines stay one sentence."""
    text = f"Talks with Russia{line_break}and China went on"
    assert [text[start:end] for start, end in sentence_spans(text)] == [text]


def test_offsets_in_a_text_read_as_typed_move_back_to_the_text():
    """Each word of squeezed's text, its offsets moved back, spans the text's word as written: the same letters, their
    accents aside, from its first letter to its last letter's last mark. Every character is kept or dropped."""
    generator = random.Random(20261201)
    pieces = ["\r\n", "\n\r", "\r", "\n", "a", "b", " ", "  ", "\u00a0", "\u200b", "\u00ad", "\r\r\n", "\n\n\r", "é",
              "e\u0301", "\u0301", "c\u0327\u0301", "и\u0301", "\u2029", "\ufb2c\u0301", "\n  ", "5"]
    for _ in range(5_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(12)))
        typed, drops = squeezed(text)
        assert len(typed) + len(drops) == len(text), repr(text)
        for word in re.finditer(r"\w+", typed):
            start, end = start_before_squeeze(text, drops, word.start()), end_before_squeeze(text, drops, word.end())
            assert bases(text[start:end].replace("\u00ad", "")) == bases(word.group()), (repr(text), word)
            assert text[start].isalnum() and (text[end - 1].isalnum() or "\u0300" <= text[end - 1] <= "\u036f")


def test_the_gaps_of_ascii_text_are_the_runs_the_rule_finds():
    """_ascii_gaps grows each run from a line break, tab or double space found by str.find; the rule is the regex it
    replaced (which tried a match at every character): two or more ASCII gap characters in a row."""
    rule = re.compile("[ \t\n\r\v][ \t\n\r\v]+")
    generator = random.Random(20261207)
    pieces = [" ", "  ", "\n", "\r\n", "\r", "\t", "\v", "a", "b.", "\n    ", " \n ", "\n\n"]
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(14)))
        assert _ascii_gaps(text) == [match.span() for match in rule.finditer(text)], repr(text)


def test_a_text_squeezed_would_change_is_one_may_squeeze_says_may():
    """may_squeeze, the cheap test before squeezed, never says no where squeezed reads a text otherwise; and a text whose
    paragraphs stored text parts with blank lines, single-spaced, is left as it is."""
    generator = random.Random(20261206)
    pieces = ["\r\n", "\r", "\n", "\n\n", "\n\n\n", "a", "b", " ", "  ", "\t", "\v", "\u00a0", "\u2028", "\x85", "\u00ad",
              "e\u0301", "é", "\f", "5", "."]
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(10)))
        assert may_squeeze(text) or squeezed(text) == (text, []), repr(text)
    assert not may_squeeze("Russia moves troops to the border\n\nChina warns Taiwan over its drills")
    assert may_squeeze("North \nKorea") and may_squeeze("North\n Korea")


def test_the_search_beyond_ascii_finds_what_the_character_set_finds():
    """_squeezable_beyond_ascii looks at each character beyond ASCII of a text that has few, and searches the others:
    either way, what a search of the character set finds."""
    generator = random.Random(20261207)
    beyond = ["’", "—", "é", "日", "\u00a0", "\u00ad", "\u0301", "\u2009", "\u200b", "\ufeff", "\u3000", "\U0001f600",
              "\ud800"]
    for _ in range(20_000):
        ascii_part = "".join(generator.choice("ab ?.") for _ in range(generator.randrange(40)))
        text = ascii_part + "".join(generator.choice(beyond) for _ in range(generator.randrange(1, 8)))
        text = "".join(generator.sample(text, len(text)))
        expected = _SQUEEZABLE_BEYOND_ASCII.search(text) is not None
        assert _squeezable_beyond_ascii(text) == expected, repr(text)


def bases(text: str) -> str:
    """The letters of `text` without their accents."""
    return re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", text))


@pytest.mark.parametrize("text, typed", [
    ("a\r\n\r\nb", "a\n\nb"), ("a\n\r\n\rb", "a\n\nb"), ("a\n\r\nb", "a\n\nb"), ("a\r\rb", "a\r\rb"),
    ("a\n\nb", "a\n\nb"),  # two-character breaks are read from the left: "\r\n\r\n" is two, never "\r", "\n\r", "\n"
    ("North  Korea", "North Korea"), ("North\u00a0 Korea", "North\u00a0Korea"), ("North \u200bKorea", "North Korea"),
    ("North \r\nKorea", "North Korea"), ("North\r\n Korea", "North\nKorea"), ("North   Korea", "North Korea"),
    ("NEW      ZEALAND", "NEW      ZEALAND"), ("said.\n    The", "said.\n    The"),  # layout: a table, a paragraph
    ("a \n b", "a b"), ("a \n\nb", "a \n\nb"), ("Rus\u00adsia", "Russia"), ("\u00adRussia", "Russia"),
    ("North\n  Korea", "North\n  Korea"), ("North\r\n  Korea", "North\n  Korea"),  # a paragraph's indent, as splitting reads it
    ("\ufb2c\u0301 Israel", "\ufb2c Israel"),  # NFC spells the letter in three characters: as written, its mark dropped
    ("Curac\u0327ao", "Curaçao"), ("Росси\u0301я", "Россия"), ("\u0301Peru", "Peru"), ("Perú", "Perú")])
def test_a_text_is_read_as_typed(text, typed):
    assert squeezed(text)[0] == typed


@pytest.mark.parametrize("surface, words", [("Vladimir Putin", ["Vladimir", "Putin"]),
                                            ("Vladimir\u200bPutin", ["Vladimir", "Putin"]),
                                            ("Anthony\u2060Albanese", ["Anthony", "Albanese"]),
                                            ("Anthony\t\ufeffAlbanese", ["Anthony", "Albanese"]),
                                            ("Anthony\r\nAlbanese", ["Anthony", "Albanese"]),
                                            ("Albanese", ["Albanese"]), ("ناصر\u200cالدین", ["ناصر\u200cالدین"])])
def test_the_words_of_a_name_are_parted_by_whitespace_or_a_zero_width_space(surface, words):
    """Not by a zero-width non-joiner: it shapes letters inside a Persian word."""
    assert name_words(surface) == words


def test_the_word_before_a_full_stop_starts_after_any_whitespace_or_a_hyphen():
    text = "Offices in\nSt. Paul and the Minneapolis-St. Paul area;\tW. Germany too. Done."
    assert [text[start:end] for start, end in sentence_spans(text)] == [text[:-6], "Done."]


@pytest.mark.parametrize("language, english", [
    ("en", True), ("en-GB", True), ("EN_us", True), (" eng ", True),
    ("de", False), ("pt-BR", False), ("fr-CA", False), ("enq", False), ("ja", False),
])
def test_is_english_reads_the_primary_subtag(language, english):
    assert is_english(language) is english


def test_is_letter_is_isalpha_on_every_code_point():
    assert [char for char in map(chr, range(sys.maxunicode + 1)) if is_letter(char) != char.isalpha()] == []
