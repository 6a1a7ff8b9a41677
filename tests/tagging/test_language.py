"""The language of an article that declares none (seeds/languages/guess.toml, tagging.language), on sentences
written here; real_feed_languages scores it on a feed written here too."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.evaluate import real_feed_languages
from pipeline.seeds import SeedError, load_tagger, load_tagger_data
from pipeline.tagging import LanguageGuide, ScriptRule
from pipeline.tagging.language import LanguageGuesser
from pipeline.tagging.text import padded_fold
from tests.rss import Item, rss


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


# (title, text, language read). Each names two countries in that language's own words.
WRITTEN = [
    ("Was war. Was wird.", "Die Woche, in der die Regierung über den Haushalt stritt und nicht zu einer Einigung kam.",
     "de"),
    ("Poutine reçoit le président chinois", "Le président russe a accueilli son homologue pour des entretiens sur "
     "la coopération et le commerce.", "fr"),
    ("Rusia y China firman un acuerdo", "El presidente ruso y su homólogo chino se reunieron en Moscú para hablar de "
     "la cooperación.", "es"),
    ("Brasil e China assinam acordo", "O presidente disse que a parceria com a China não é só comercial e que o "
     "acordo será assinado em Pequim.", "pt"),
    ("La Russia e la Cina firmano un accordo", "Il presidente russo ha detto che la cooperazione con la Cina è più "
     "forte che mai e che non ci sono limiti.", "it"),
    ("Türkiye ve Rusya arasında yeni anlaşma", "Bu anlaşma için iki ülke bir araya geldi ve daha çok ticaret "
     "hedefliyor.", "tr"),
    ("Россия и Китай подписали соглашение", "Президент заявил, что это соглашение для развития торговли и что оно "
     "было подготовлено заранее.", "ru"),
    ("Україна та Польща домовилися", "Прем'єр заявив, що це рішення для розвитку торгівлі і що воно було ухвалене "
     "з Польщею.", "uk"),
    ("ایران و روسیه توافق کردند", "این توافق در مسکو امضا شد و به گفته مقامات برای همکاری است.", "fa"),
    ("پاکستان اور چین کے درمیان معاہدہ", "وزیر اعظم نے کہا کہ یہ معاہدہ دونوں ممالک کے لیے اہم ہے اور اس سے تجارت "
     "میں اضافہ ہوگا۔", "ur"),
    ("اتفاق بين مصر والسعودية", "قال الوزير إن الاتفاق الذي تم توقيعه في القاهرة هذا الأسبوع من أجل التعاون بين "
     "البلدين.", "ar"),
    ("日本と韓国が首脳会談", "首相は韓国の大統領と東京で会談した。", "ja"),
    ("中国与俄罗斯签署协议", "两国领导人在北京会谈。", "zh"),
    ("한국과 미국 정상회담", "두 정상은 워싱턴에서 만났다.", "ko"),
    ("भारत और रूस के बीच समझौता", "दोनों देशों ने व्यापार बढ़ाने पर सहमति जताई।", "hi"),
    # English stays English: accented names, a quoted phrase, curly quotes
    ("Café owners in Zürich welcome tourists", "The café near the station is a favourite of visitors from Germany.",
     None),
    ("Macron: “la France est de retour”", "The French president told reporters at the Élysée that France was back "
     "and that the summit with the leaders of the EU had gone well.", None),
    ("Kim’s envoy meets Lavrov", "North Korea’s foreign minister met her Russian counterpart in Moscow.", None),
    # too few words to tell: read as English, as before
    ("Poutine à Pékin", "", None),
    # a short Cyrillic headline: too few function words, so the script tells; і, ї, є, ґ are Ukrainian only
    ("Субсидии на оплату услуг ЖКХ получили почти 55 тысяч семей", "", "ru"),
    ("Планы на сегодня: купить одежду белорусских дизайнеров", "", "ru"),
    ("Зеленський зустрівся з прем'єром Польщі у Києві", "", "uk"),
    # Belarusian has і too; its ў, which Ukrainian and Russian lack, tells it in a headline
    ("Лукашэнка сустрэўся з Пуціным у Маскве", "", "be"),
    ("Лукашэнка сустрэўся з Лаўровым", "", "be"),  # ў and no і
    # without ў: і, which Russian lacks, with ы and э, which Ukrainian lacks
    ("Беларусь і Расія правялі вучэнні", "", "be"),
    # a short Ukrainian headline without и, ї, є, ґ or щ stays Ukrainian, and a Belarusian one without ў, ы, э with it
    ("Путін і Лукашенко", "", "uk"),
    # Russian quoting Ukrainian: і and ы, but и too
    ("Эрдоган и Ильхам Алиев в Киеве: «Слава Україні»", "", "uk"),
    ("Қазақстан мен Ресей келісімге қол қойды", "", "uk"),  # Kazakh: і and ы, but қ (it read so before)
    ("Мінск прыме саміт АДКБ", "", "be"),
    ("Беларусь і Расія падпісалі дамову", "Прэзідэнт заявіў, што гэта пагадненне таксама адкрые рынак для "
     "беларускіх тавараў.", "be"),
    # Russian "до", "при", "об" are function words too: this story read as Ukrainian (в, до, на count for both)
    ("Число жертв пожара в гостинице Москвы увеличилось до трех", "При разборе завалов на шоссе в Москве обнаружили "
     "тела еще двух человек. Таким образом, число жертв увеличилось до трех. Об этом сообщает радио.", "ru"),
    # a short headline in the Arabic script: too few function words, so the script tells: letters only Urdu writes,
    # else letters Persian writes and Arabic does not, else Arabic
    ("مصر والأردن توقعان اتفاقا للغاز", "", "ar"),
    ("ترکیه و یونان گفتگو را از سر گرفتند", "", "fa"),
    ("چین نے پاکستان کو نیا قرض دیا", "", "ur"),
    # English leading stays English, Cyrillic names and all
    ("Moscow says Путин met the press in Kyiv", "The Kremlin said the talks with Зеленський were not planned.", None),
]


@pytest.mark.parametrize(("title", "text", "language"), WRITTEN, ids=[case[2] or case[0][:20] for case in WRITTEN])
def test_an_undeclared_language_is_read_from_its_words_or_script(tagger, title, text, language):
    tags = tagger.tag(title, text)
    assert (tags.language, tags.language_guessed) == (language, language is not None)


# (title, text, countries): a short undeclared item in the Arabic script, read as English, had no country at all
ARABIC_SCRIPT_HEADLINES = [
    ("روسيا وكوريا الشمالية توقعان اتفاقية جديدة", "", ("PRK", "RUS")),
    ("مصر والأردن توقعان اتفاقا للغاز", "وزيرا الطاقة اجتمعا اليوم", ("EGY", "JOR")),
    ("ترکیه و یونان گفتگو را از سر گرفتند", "", ("GRC", "TUR")),
    ("روسیه و چین رزمایش مشترک برگزار کردند", "", ("CHN", "RUS")),
]


@pytest.mark.parametrize(("title", "text", "countries"), ARABIC_SCRIPT_HEADLINES,
                         ids=["-".join(case[2]) for case in ARABIC_SCRIPT_HEADLINES])
def test_a_short_undeclared_arabic_script_item_gets_its_countries(tagger, title, text, countries):
    assert tagger.tag(title, text).countries == countries


def test_a_guessed_language_reads_like_a_declared_one(tagger):
    """heise's "Was war. Was wird." was military ("war") and its countries went unread."""
    title, text = "Was war. Was wird.", "Über die Woche: Russland und Frankreich streiten, der Krieg geht weiter."
    guessed, declared = tagger.tag(title, text), tagger.tag(title, text, language="de")
    assert guessed.countries == declared.countries == ("FRA", "RUS")
    assert guessed.topic_ids == declared.topic_ids == ()
    as_english = tagger.tag(title, text, language="en")
    assert "military" in as_english.topic_ids and as_english.countries == ()
    assert (declared.language, declared.language_guessed) == ("de", False)
    assert (as_english.language, as_english.language_guessed) == ("en", False)


def test_the_output_row_says_which_language_was_read(tagger):
    row = {"id": 7, "title": "Poutine reçoit le président chinois",
           "text": "Le président russe a accueilli son homologue pour des entretiens sur la coopération."}
    assert {key: tagger.tag_row(row)[key] for key in ("language", "language_guessed")} == \
        {"language": "fr", "language_guessed": True}
    assert {key: tagger.tag_row({**row, "language": "fr-CA"})[key] for key in ("language", "language_guessed")} == \
        {"language": "fr", "language_guessed": False}
    english = tagger.tag_row({"id": 8, "title": "Talks in Geneva", "text": "The envoys met."})
    assert (english["language"], english["language_guessed"]) == (None, False)


def guide(**changes) -> LanguageGuide:
    fields = {"function_words": {"en": ("the", "and", "of"), "xx": ("ka", "ko", "ki"), "yy": ("ka", "ku", "ke")},
              "scripts": (), "sample_words": 10, "sample_chars": 1200, "min_words": 3, "english_ratio": 2.0}
    return LanguageGuide(**{**fields, **changes})


@pytest.mark.parametrize(("text", "changes", "expected"), [
    ("ké ka ko ki ko", {}, "xx"),  # a letter beyond ASCII: examined
    ("ke ka ko ki ko", {}, "xx"),  # plain ASCII: read too (an Italian headline without an accent)
    ("ke ka ko ki the", {"english_markers": ("the",)}, None),  # plain ASCII with an English marker: English at once
    ("ka ka ka ko ko", {}, None),  # plain ASCII: each word counted once (a price table's "per", "per", "per")
    ("ká ka ka ko", {}, "xx"),  # beyond ASCII: every occurrence counts, as before
    ("ké ka ko", {}, None),  # xx has 2 words: fewer than min_words
    ("ké ka ku ke ko ki", {}, None),  # xx 3 (ka ko ki), yy 3 (ka ku ke): a tie
    ("ké ka ko ki the and", {}, None),  # xx 3 against English 2: under english_ratio
    ("ké ka ko ki", {"sample_words": 3}, None),  # only the first sample_words words count: ki is not read
    ("ké ka ko ki", {"sample_chars": 6}, None),  # nor the text beyond sample_chars
])
def test_the_guess_rules(text, changes, expected):
    assert LanguageGuesser(guide(**changes)).guess(padded_fold(""), padded_fold(text)) == expected


def test_a_script_decides_where_no_function_word_does():
    scripts = (ScriptRule("ja", "\u3041-\u309f\u30a0-\u30ff", 0.1), ScriptRule("zh", "\u4e00-\u9fff", 0.5))
    guesser = LanguageGuesser(guide(scripts=scripts))
    assert guesser.guess(padded_fold("中国の首相"), padded_fold("")) == "ja"  # one kana in five
    assert guesser.guess(padded_fold("中国总理访问"), padded_fold("")) == "zh"
    assert guesser.guess(padded_fold("Xi Jinping (习近平) met the premier"), padded_fold("")) is None  # a quoted name


def test_a_script_rule_can_ask_for_a_second_set_of_letters_too():
    both = LanguageGuesser(guide(scripts=(ScriptRule("xx", "ы", 0.1, also_letters="і", also_share=0.1),)))
    assert both.guess(padded_fold("ыыі"), padded_fold("")) == "xx"
    assert both.guess(padded_fold("ыыы"), padded_fold("")) is None  # the second set is missing
    assert both.guess(padded_fold("ы" * 19 + "і"), padded_fold("")) is None  # too little of it
    lacking = LanguageGuesser(guide(scripts=(ScriptRule("xx", "і", 0.1, none_of="и"),)))
    assert lacking.guess(padded_fold("ііі"), padded_fold("")) == "xx"
    assert lacking.guess(padded_fold("ііи"), padded_fold("")) is None


@pytest.fixture
def seeds(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(load_tagger.__globals__["DEFAULT_SEEDS_DIR"], copy)
    return copy


@pytest.mark.parametrize(("edit", "reported"), [
    (("de = [", 'de = ["an die", '), r"\[de\] 'an die' is not one word"),
    (("en = [", 'english = ['), r"must list English"),
    (("share = 0.1 }", "share = 1.5 }"), r"ja: share must be in \(0, 1\]"),
    (("share = 0.1 }", "share = 0.1, also = { letters = \"a\" } }"), r"ja: also must be \{letters, share\}"),
    (("share = 0.1 }", "share = 0.1, also = { letters = \"a\", share = 2 } }"),
     r"ja also: share must be in \(0, 1\]"),
    (("share = 0.1 }", "share = 0.1, none_of = \"z-a\" }"), r"ja none_of: letters 'z-a' is no character range"),
    (("ja = {", "ja = [1]\njx = {"), r"guess.toml:\d+: \[scripts\] ja must be a table or a list of tables, not \[1\]"),
    (("share = 0.1 }", "share = 0.1, when = 1 }"), r"ja: unknown keys \['when'\]"),
    (('letters = "\\u3041', 'letters = "z-a\\u3041'), r"ja: letters .* is no character range"),
    (("min_words = 3", "min_words = 0"), r"guess.toml:\d+: min_words must be a whole number of at least 1, not 0"),
    (("min_words = 3", "min_words = 3\nsample_size = 9"), r"unknown keys \['sample_size'\]"),
    (('english_markers = ["the"', 'english_markers = ["der"'), r"english_markers \['der'\] are not English"),
])
def test_a_bad_language_guide_is_refused(seeds, edit, reported):
    path = seeds / "languages" / "guess.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(SeedError, match=reported):
        load_tagger_data(seeds)


def test_the_guess_is_scored_against_declared_languages(tmp_path: Path, tagger):
    folder = tmp_path / "real" / "outlet"
    folder.mkdir(parents=True)
    german = [Item("Russland und China", "Die Regierung in Peking hat über den Vertrag gesprochen, der bald kommt."),
              Item("Kurz", "")]  # too short to tell: a miss
    (folder / "de.xml").write_bytes(rss(german, language="de-AT"))
    english = [Item("Café talks in Geneva", "The envoys of Iran and the US met for a third round of talks.")]
    (folder / "en.rss").write_bytes(rss(english, language="en"))
    (folder / "none.atom.txt").write_bytes(rss(german))  # not a feed file: skipped
    (folder / "undeclared.xml").write_bytes(rss(german))  # declares nothing: not scored
    rows = {row["measure"]: (row["value"], row["n"]) for row in real_feed_languages(tmp_path / "real", tagger)}
    assert rows == {"real_language_english_kept": (1.0, 1), "real_language_guess_precision": (1.0, 1),
                    "real_language_guess_recall": (0.5, 2)}
