from datetime import date

import pytest

from monitor.records import RawRelease
from monitor.understanding.classify import Prefixes, classify, load_taxonomy
from monitor.understanding.normalize import normalize_release


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def tags_of(raw: RawRelease, settings, taxonomy) -> dict[tuple[str, str], tuple[str, ...]]:
    release = normalize_release(raw, settings.sources["osce_newsroom"], {}, date(2026, 1, 1))
    return {(t.kind, t.value): t.evidence for t in classify(release, taxonomy)}


def test_seed_000_is_judicial_and_gender_in_kyrgyzstan_and_kazakhstan(settings, taxonomy) -> None:
    raw = RawRelease(
        source="osce_newsroom",
        url="https://www.osce.org/programme-office-in-astana/582310",
        title="Kazakhstan’s Women Judges Contribute to the 10th Annual Conference of the Kyrgyz Association of Women Judges",
        text="On 6-7 December 2024, the conference took place in Aral village, Chui Province. It addressed access to "
        "free legal aid and the prevention of gender-based violence.",
        facets={"what we do": ["Gender equality", "Rule of law"]},
    )
    tags = tags_of(raw, settings, taxonomy)
    assert "facet: gender equality" in tags[("topic", "gender_equality")]
    assert "title: women judges" in tags[("topic", "gender_equality")]
    assert "facet: rule of law" in tags[("topic", "judicial")]
    assert ("country", "kyrgyzstan") in tags
    assert ("country", "kazakhstan") in tags


def test_russian_and_kazakh_terms_tag_topics(settings, taxonomy) -> None:
    ru = RawRelease(
        source="osce_newsroom",
        url="https://x/ru/node/1",
        title="Реформа пробации и судебной системы",
        text="Судьи и прокуроры обсудили пробацию.",
    )
    kk = RawRelease(
        source="osce_newsroom",
        url="https://x/kk/node/2",
        title="Әйел судьяларға арналған бағдарлама",
        text="Бағдарлама гендерлік теңдікті нығайтуға бағытталған.",
    )
    assert ("topic", "judicial") in tags_of(ru, settings, taxonomy)
    assert ("topic", "gender_equality") in tags_of(kk, settings, taxonomy)


def test_legal_aid_in_kazakh_and_womens_representation_in_english_are_tagged(settings, taxonomy) -> None:
    kk = RawRelease(
        source="osce_newsroom",
        url="https://x/kk/node/3",
        title="Ауыл тұрғындарына тегін заң көмегі",
        text="Жылжымалы топ заңгерлері ауыл тұрғындарына кеңес берді.",
    )
    en = RawRelease(
        source="osce_newsroom",
        url="https://x/node/4",
        title="Study on women's representation in the judiciary presented",
        text="A study on the representation of women among judges was presented in Bishkek.",
    )
    assert ("topic", "judicial") in tags_of(kk, settings, taxonomy)
    assert ("topic", "gender_equality") in tags_of(en, settings, taxonomy)


def test_unrelated_release_gets_no_topic(settings, taxonomy) -> None:
    raw = RawRelease(
        source="osce_newsroom",
        url="https://x/1",
        title="Workshop on energy efficiency in public buildings",
        text="Engineers discussed energy audits and renovation of schools in Almaty.",
    )
    tags = tags_of(raw, settings, taxonomy)
    assert not [key for key in tags if key[0] == "topic"]
    assert ("country", "kazakhstan") in tags  # Almaty is in Kazakhstan


def test_subtopics_come_with_their_topic_and_their_terms(settings, taxonomy) -> None:
    raw = RawRelease(
        source="osce_newsroom",
        url="https://x/2",
        title="Training on domestic violence for police",
        text="Police officers and prosecutors studied the law on domestic violence and gender-based violence.",
    )
    tags = tags_of(raw, settings, taxonomy)
    assert ("subtopic", "gender_equality/gender_based_violence") in tags
    assert not [key for key in tags if key[1].startswith("judicial/")]  # no judicial topic, so no judicial subtopic


def test_a_users_taxonomy_file_extends_the_shipped_one(settings, taxonomy, tmp_path) -> None:
    user = tmp_path / "taxonomy.toml"
    user.write_text('[topics.judicial]\nterms = ["notary", "notaries"]\nmin_score = 1\n')
    custom = load_taxonomy(user)
    raw = RawRelease(source="osce_newsroom", url="https://x/3", title="Notaries meet in Astana", text="About notaries.")
    assert "title: notaries" in tags_of(raw, settings, custom)[("topic", "judicial")]
    assert [t.label for t in custom.topics] == [t.label for t in taxonomy.topics]  # labels kept from the defaults


def test_prefix_stems_are_found_the_same_whether_a_word_is_remembered_or_not() -> None:
    prefixes = Prefixes(["court", "judg", "un"])
    words = {"courts", "judge", "united", "the", "co"}
    assert prefixes.begun_by(words) == {"court", "judg", "un"}
    assert prefixes.begun_by(words) == {"court", "judg", "un"}  # now from memory
    assert prefixes.begun_by({"judiciary", "courtroom"}) == {"court"}

    full = Prefixes(["court", "judg"])
    full.MEMORY = 1  # past it, new words are looked at every time
    assert full.begun_by({"alpha"}) == set()
    assert full.begun_by({"judges", "courts"}) == {"court", "judg"}
    assert full.begun_by({"judges"}) == {"judg"}


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("legal* aid*", "they give legally aided advice", True),  # English, a wildcard in each word
        ("legal* aid*", "legal reform and aid to farmers", False),
        ("бытов* насили*", "меры против бытового насилия", True),  # Russian, inflected in both words
        ("юридическ* помощ*", "центры бесплатной юридической помощи", True),
        ("верховенств* права", "укрепление верховенства права", True),
        ("верховенств* права", "верховенство правил", False),
        ("тұрмыстық зорлық*", "тұрмыстық зорлық-зомбылыққа қарсы", True),  # Kazakh
        ("әйел* судья*", "әйелдер судьялары қауымдастығы", True),
        ("женщин*-судей", "конференция женщин-судей региона", True),  # a * before a hyphen
        ("женщин*-заключенн*", "колонии, где содержатся женщины-заключенные", True),
        ("женщин*-заключенн*", "женщины и заключенные", False),
    ],
)
def test_multi_word_terms_with_wildcards_inside_words_match_in_every_language(
    term: str, text: str, found: bool
) -> None:
    from monitor.understanding.classify import Stems, Term, Words

    parsed, words = Term.parse(term), Words.of(text)
    stems = Stems(frozenset(), Prefixes([parsed.stem]))
    assert parsed.found_in(words, words.found(stems)) is found


def test_russian_domestic_violence_and_legal_aid_tag_their_topics(settings, taxonomy) -> None:
    raw = RawRelease(
        source="osce_newsroom",
        url="https://x/ru/node/2",
        title="Круглый стол о противодействии бытовому насилию",
        text="Судьи и эксперты обсудили доступ к бесплатной юридической помощи для пострадавших от бытового насилия "
        "и укрепление верховенства права.",
    )
    tags = tags_of(raw, settings, taxonomy)
    assert any("бытов* насили*" in e for e in tags[("topic", "gender_equality")])
    assert any("юридическ* помощ*" in e for e in tags[("topic", "judicial")])


def test_women_mentioned_in_passing_are_not_gender_equality(settings, taxonomy) -> None:
    raw = RawRelease(
        source="osce_newsroom",
        url="https://x/node/3",
        title="Eco-tourism routes open in the Chui valley",
        text="Guest houses welcome groups of women travelling together, and a women's folk ensemble performed at "
        "the opening. Hiking routes and a visitor centre were presented to tour operators.",
    )
    assert ("topic", "gender_equality") not in tags_of(raw, settings, taxonomy)


def test_penitentiary_wording_is_judicial_in_english_russian_and_kazakh(settings, taxonomy) -> None:
    texts = [
        ("Rehabilitation for inmates", "Staff of penal institutions discussed the reintegration of prisoners "
         "and the work of probation officers."),
        ("Реабилитация осужденных", "Сотрудники исправительных учреждений обсудили ресоциализацию заключенных и "
         "уголовно-исполнительную систему."),
        ("Сотталғандарды оңалту", "Түзеу мекемелерінің қызметкерлері қылмыстық-атқару жүйесін және пробация "
         "қызметін талқылады."),
    ]  # fmt: skip
    for title, text in texts:
        raw = RawRelease(source="osce_newsroom", url="https://x/node/4", title=title, text=text)
        tags = tags_of(raw, settings, taxonomy)
        assert ("topic", "judicial") in tags, title
        assert ("subtopic", "judicial/probation_penitentiary") in tags, title


@pytest.mark.parametrize(
    ("title", "text", "judicial"),
    [
        # women's rights, in Kazakh: "құқық" (right, law) alone is no judicial term
        ("Ақтөбеде әйелдер құқықтары мен гендерлік теңдік бойынша семинар өтті",
         "ЕҚЫҰ бағдарламалар офисі үкіметтік емес ұйымдармен бірге әйелдердің құқықтары мен мүмкіндіктерін кеңейту "
         "тақырыбында семинар өткізді.", False),
        # "судьбы" (fates) begins as "суд" (court) does
        ("Судьбы женщин-предпринимателей: истории успеха",
         "Фотовыставка рассказывает о судьбах женщин, открывших своё дело в сельской местности.", False),
        ("Судьи обсудили практику суда", "Судьи Верховного суда и адвокаты обсудили судебную практику.", True),
        ("Құқық қорғау органдарының қызметкерлері оқытылды",
         "Құқық қорғау органдары мен соттардың қызметкерлері құқық үстемдігі туралы семинарға қатысты.", True),
    ],
)  # fmt: skip
def test_broad_stems_do_not_tag_judicial_alone(settings, taxonomy, title: str, text: str, judicial: bool) -> None:
    raw = RawRelease(source="osce_newsroom", url="https://x/node/5", title=title, text=text)
    assert (("topic", "judicial") in tags_of(raw, settings, taxonomy)) is judicial


def test_every_central_asian_country_is_named_in_kazakh(settings, taxonomy) -> None:
    raw = RawRelease(source="osce_newsroom", url="https://x/node/6", title="Өңірлік кездесу",
                     text="Қазақстан, Қырғызстан, Тәжікстан, Түрікменстан және Өзбекстан соттарының өкілдері кездесті.")  # fmt: skip
    countries = {value for kind, value in tags_of(raw, settings, taxonomy) if kind == "country"}
    assert countries == {"kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"}
