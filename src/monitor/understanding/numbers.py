"""Numbers written in words, read as numbers, in English, Russian and Kazakh: "Twenty-eight
judges", "двадцать восемь судей", "жиырма сегіз судья" and "28 judges" share the figure 28."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

UNITS = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    # Russian, in the cases a count of people takes
    "один": 1, "одна": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
    "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12, "тринадцать": 13, "тринадцати": 13,
    "четырнадцать": 14, "четырнадцати": 14, "пятнадцать": 15, "пятнадцати": 15, "шестнадцать": 16,
    "шестнадцати": 16, "семнадцать": 17, "семнадцати": 17, "восемнадцать": 18, "восемнадцати": 18,
    "девятнадцать": 19, "девятнадцати": 19, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30,
    "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60,
    "семьдесят": 70, "семидесяти": 70, "восемьдесят": 80, "восьмидесяти": 80, "девяносто": 90, "девяноста": 90,
    "сто": 100, "ста": 100, "двести": 200, "двухсот": 200, "триста": 300, "трёхсот": 300, "четыреста": 400,
    "пятьсот": 500, "пятисот": 500,
    # Kazakh ("он", ten, is also Russian "he": it counts only beside another number word)
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9,
    "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70, "сексен": 80, "тоқсан": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "жүз": 100, "thousand": 1000, "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "мың": 1000}
KAZAKH_TEN = "он"
KAZAKH_UNITS = frozenset({"бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз", "жүз", "мың"})
CONJUNCTIONS = ("and", "и", "және")


NUMBER_WORDS = frozenset({*UNITS, *SCALES, KAZAKH_TEN, *CONJUNCTIONS})


def numbers_in_words(words: Sequence[str]) -> list[int]:
    """Each run of number words among a text's casefolded words, as its value ("twenty-eight" ->
    28, "отыз бір" -> 31, "two hundred and fifty" -> 250)."""
    found: list[int] = []
    total = current = run = 0
    scaled = False  # the last word was a scale: "and" goes on with the number ("hundred and fifty")
    for word in _number_words(words):
        if current == 10 and not run and word not in KAZAKH_UNITS:  # "он два": he (Russian), not ten
            current = 0
        if word in UNITS or (word == KAZAKH_TEN and run):
            current += UNITS.get(word, 10)
        elif word == KAZAKH_TEN:  # a run may start with it ("он екі", twelve): held until the next word says
            current, run = 10, 0
            continue
        elif word in SCALES:  # "a hundred" is one hundred
            if SCALES[word] == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * SCALES[word], 0
            scaled = True
            run += 1
            continue
        elif word in CONJUNCTIONS and run and scaled:
            scaled = False
            continue
        else:  # another word, or "and" between two numbers ("five and ten judges")
            if run:
                found.append(total + current)
            total = current = run = 0
            scaled = False
            continue
        scaled = False
        run += 1
    if run:
        found.append(total + current)
    return found


def _number_words(words: Sequence[str]) -> Iterator[str]:
    """The words that can belong to a number, with "" where others stood between them: a run is
    read from these few, not from every word of the text (each release passes here)."""
    last = -2
    for position in [i for i, word in enumerate(words) if word in NUMBER_WORDS]:
        if position != last + 1:
            yield ""
        yield words[position]
        last = position
