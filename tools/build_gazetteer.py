"""Regenerate iso_countries.csv and subdivisions.csv from pycountry, and exonyms.csv (country names in
the other languages of our feeds) from the Unicode CLDR through babel (dev dependencies only).

Run: .venv/bin/python tools/build_gazetteer.py (beside the checkout's seeds/gazetteer/, which it writes)
The committed CSV files are the source of truth at runtime; curated knowledge (aliases,
demonyms, capitals, cities, leaders) lives in the hand-maintained files next to them.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from babel import Locale

HERE = Path(__file__).resolve().parent.parent / "seeds" / "gazetteer"
# Codes outside ISO 3166-1 that we track under their customary user-assigned codes.
EXTRA_COUNTRIES = [("XKX", "XK", "Kosovo", "Republic of Kosovo", "")]
# Subdivisions whose names are used as places (datelines, "Paris, Texas"); kept small on
# purpose because subdivision names of many countries collide with ordinary words.
SUBDIVISION_COUNTRIES = ("US", "CA", "AU")
# US outlying areas (Guam, Puerto Rico, ...) have their own ISO 3166-1 codes and stay countries.
SKIPPED_SUBDIVISION_TYPES = ("Outlying area",)
# Languages whose country names are matched in articles in that language (CLDR locale -> language code);
# pt_PT adds the European Portuguese forms ("Irão") to the Brazilian ones ("Irã").
EXONYM_LOCALES = {"de": "de", "es": "es", "fr": "fr", "it": "it", "ja": "ja", "ko": "ko", "pt": "pt", "pt_PT": "pt",
                  "ru": "ru", "uk": "uk", "zh": "zh", "zh_Hant": "zh", "fa": "fa", "ur": "ur", "ar": "ar", "tr": "tr",
                  "hi": "hi", "be": "be"}


def _plain(name: str) -> str:
    """pycountry writes some names inverted ('Korea, Republic of'); those are not text forms."""
    return "" if "," in name else name


def country_rows() -> list[tuple[str, str, str, str, str]]:
    rows = [
        (c.alpha_3, c.alpha_2, _plain(c.name), getattr(c, "official_name", ""), getattr(c, "common_name", ""))
        for c in pycountry.countries
    ]
    return sorted(rows + EXTRA_COUNTRIES)


def subdivision_rows() -> list[tuple[str, str, str]]:
    rows = []
    for alpha_2 in SUBDIVISION_COUNTRIES:
        alpha_3 = pycountry.countries.get(alpha_2=alpha_2).alpha_3
        rows += [(alpha_3, sub.name, sub.type) for sub in pycountry.subdivisions.get(country_code=alpha_2)
                 if sub.type not in SKIPPED_SUBDIVISION_TYPES]
    return sorted(rows)


def exonym_rows() -> list[tuple[str, str, str]]:
    """(language, iso3, name) for every country's CLDR name. "Myanmar (Birmanie)" gives both names; a name
    that two countries share in one language ("São Martinho" is both halves of Saint Martin) is left out, and
    so is a parenthesis that is no name ("partie néerlandaise")."""
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX"}
    codes: dict[tuple[str, str], set[str]] = {}
    for locale, language in EXONYM_LOCALES.items():
        for code, name in Locale.parse(locale).territories.items():
            if code in iso3 and "," not in name:
                for part in _names_in(name):
                    codes.setdefault((language, part), set()).add(iso3[code])
    return sorted((language, *found, name) for (language, name), found in codes.items() if len(found) == 1)


def _names_in(name: str) -> list[str]:
    """'Myanmar (Birmanie)' -> both; 'ミャンマー (ビルマ)' and 'コンゴ共和国(ブラザビル)' too; a lower-case
    parenthesis is a description, an upper-case one the sovereign's abbreviation ('Віргінські Острови (США)'
    are not the United States), and a parenthesis inside a name ('ココス(キーリング)諸島') is kept whole."""
    if not name.endswith(")") or "(" not in name:
        return [name]
    base, inner = name[:-1].split("(", 1)
    return [base.strip()] + ([inner.strip()] if not inner[:1].islower() and not inner.isupper() else [])


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    write_csv(HERE / "iso_countries.csv", ("iso3", "iso2", "name", "official_name", "common_name"), country_rows())
    write_csv(HERE / "subdivisions.csv", ("iso3", "name", "type"), subdivision_rows())
    write_csv(HERE / "exonyms.csv", ("language", "iso3", "name"), exonym_rows())
