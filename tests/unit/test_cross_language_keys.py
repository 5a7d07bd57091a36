"""Keys that mean the same across English, Russian and Kazakh: numbers written in words, names in
any script, and the days of dates that are not figures."""

from __future__ import annotations

import pytest

from monitor.understanding import tokens
from monitor.understanding.numbers import numbers_in_words
from monitor.understanding.similarity import Fingerprints, name_key, overlap


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twenty-eight judges of district courts", [28]),
        ("two hundred and fifty officers", [250]),
        ("двадцать восемь судей и прокуроров", [28]),
        ("Двадцать четыре сотрудника исправительных учреждений", [24]),
        ("три тысячи двести человек", [3200]),
        ("отыз бір судьясы", [31]),
        ("он екі адам", [12]),
        ("он сказал, что", []),  # Russian "he", not the Kazakh ten
        ("он два раза выступил", [2]),  # "he spoke twice": not twelve
        ("between five and ten judges", [5, 10]),  # "and" between two numbers: two figures
        ("судьи из пяти и шести областей", [5, 6]),
        ("a hundred judges and hundred and fifty lawyers", [100, 150]),
        ("the court of appeal", []),
    ],
)
def test_numbers_in_words_are_read_in_three_languages(text: str, expected: list[int]) -> None:
    assert numbers_in_words(tokens.words(text.casefold())) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [("Sarsenbayeva", "Сарсенбаева"), ("Shymkent", "Шымкентте"), ("Wiśniewska", "Вишневская"), ("Bishkek", "Бишкеке")],
)
def test_a_name_has_one_key_in_any_script_and_case_ending(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


def test_a_translation_shares_its_originals_figures_and_names_and_dates_are_not_figures() -> None:
    english = Fingerprints.of(
        "Judges trained in Shymkent",
        "SHYMKENT, 23 May 2025 – Thirty-one judges of Turkistan region, held on 21 and 22 May, with Judge Sarsenbayeva.",
    )
    kazakh = Fingerprints.of(
        "Шымкентте судьялар оқытылды",
        "Шымкентте 21-22 мамырда Түркістан облысының отыз бір судьясы судья Сарсенбаеваның қатысуымен оқудан өтті.",
    )
    assert english.numbers == kazakh.numbers == {"31"}  # the days 21, 22 and 23 are dates, not figures
    assert overlap(english.names, kazakh.names) >= 0.5
