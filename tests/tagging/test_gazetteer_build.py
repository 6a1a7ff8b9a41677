"""The generated gazetteer files are what tools/build_gazetteer.py writes from the pinned pycountry and babel."""
import csv
import importlib.util

import pytest

from tests.conftest import PROJECT_ROOT

GAZETTEER = PROJECT_ROOT / "seeds" / "gazetteer"  # what the script writes, whatever PACTWATCH_SEEDS names


@pytest.fixture(scope="module")
def build():
    pytest.importorskip("pycountry")
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("gazetteer_build", PROJECT_ROOT / "tools" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("file_name, rows", [
    ("iso_countries.csv", "country_rows"), ("subdivisions.csv", "subdivision_rows"), ("exonyms.csv", "exonym_rows")])
def test_generated_file_is_up_to_date(build, file_name, rows):
    with (GAZETTEER / file_name).open(encoding="utf-8", newline="") as handle:
        committed = [tuple(row) for row in csv.reader(handle)][1:]
    assert committed == [tuple(row) for row in getattr(build, rows)()]


def test_exonyms_keep_both_names_of_a_parenthesis_and_drop_a_name_two_countries_share(build):
    rows = set(build.exonym_rows())
    assert {("fr", "MMR", "Myanmar"), ("fr", "MMR", "Birmanie"), ("de", "DEU", "Deutschland")} <= rows
    assert not {row for row in rows if row[2] in ("partie néerlandaise", "Saint-Martin") and row[0] == "fr"}
    # Japanese writes the parenthesis without a space; one inside a name keeps the name whole
    assert {("ja", "COD", "コンゴ民主共和国"), ("ja", "COD", "キンシャサ"), ("ja", "CCK", "ココス(キーリング)諸島")} <= rows
    # an upper-case parenthesis is the sovereign's abbreviation, not another name of the islands
    assert ("uk", "VIR", "Віргінські Острови") in rows and not {row for row in rows if row[2] == "США"}
