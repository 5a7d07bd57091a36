"""The story rules on their own: what wording can never join, and how a teaser is matched."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from monitor.understanding.similarity import Fingerprints
from monitor.understanding.stories import Candidate, apart, matches, relate

TRAINING = (
    "Twenty-eight judges of district and regional courts of Kostanay region completed a two-day training course "
    "on international fair trial standards in criminal proceedings, organized by the OSCE Programme Office in "
    "Astana with the Supreme Court and the Academy of Justice. Participants examined the presumption of innocence, "
    "the equality of arms and the right to a reasoned judgment, with Judge Aigul Sarsenbayeva and Dr. Pieter van Loon. "
    "Practical exercises were based on anonymized case files from the courts of the region, and the participants "
    "agreed to share the course materials with their colleagues in the district courts."
)


def candidate(release_id: int, text: str, source: str = "osce_astana", day: date = date(2025, 3, 14),
              event: date | None = date(2025, 3, 14), story_id: int | None = None, **kwargs: object) -> Candidate:  # fmt: skip
    return Candidate(
        release_id=release_id, story_id=story_id, lang="en", native_key=None, content_hash=str(release_id),
        listing_only=False, event_date=event, syndication=False, day=day, fingerprints=Fingerprints.of("", text),
        published=day, source=source, short=len(text) < 600, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_series_in_the_same_words_a_month_apart_stays_apart_and_so_do_one_offices_two_releases() -> None:
    first = candidate(1, TRAINING, story_id=1)
    next_month = candidate(2, TRAINING.replace("Kostanay", "Pavlodar"), day=date(2025, 4, 14), event=date(2025, 4, 14))
    same_day = candidate(3, TRAINING.replace("Twenty-eight", "Thirty"))
    assert apart(next_month, first) and matches(next_month, [first]) == []
    assert apart(same_day, first)  # one publisher, two full texts, one language: two releases
    copy = replace(candidate(4, TRAINING, source="pubt_osce"), syndication=True)
    assert not apart(copy, first) and matches(copy, [first])[0].relation == "copy"


def test_a_story_whose_original_is_apart_is_barred_even_when_another_member_matches() -> None:
    original = candidate(1, TRAINING, story_id=1)
    copy_of_it = replace(candidate(2, TRAINING, source="pubt_osce", story_id=1), syndication=True)
    other_release = candidate(3, TRAINING.replace("Kostanay", "Pavlodar"))  # same office, same day
    assert matches(other_release, [copy_of_it], originals={1: original}) == []


def test_a_teaser_written_as_a_summary_is_matched_by_what_it_names_and_only_to_the_best_release() -> None:
    original = candidate(1, TRAINING, story_id=1)
    sibling = candidate(2, TRAINING.replace("Kostanay region", "Karaganda region").replace("Sarsenbayeva", "Omarova"),
                        story_id=2)  # fmt: skip
    teaser = candidate(3, "Twenty-eight Kostanay judges studied fair trial standards with Judge Sarsenbayeva.",
                       source="europavarietas", event=None)  # fmt: skip
    (found,) = matches(teaser, [original, sibling])
    assert found.candidate.release_id == 1 and found.weak
    later = matches(replace(teaser, day=date(2025, 5, 1), published=date(2025, 5, 1)), [original])
    assert not any(m.weak for m in later)  # weeks later, it is no teaser of it


def test_one_text_at_a_second_address_of_its_publisher_is_a_duplicate_in_the_same_story() -> None:
    first = candidate(1, TRAINING, story_id=1)
    again = replace(candidate(2, TRAINING), content_hash=first.content_hash)  # /news/ beside /press-releases/
    assert not apart(again, first)
    (found,) = matches(again, [first])
    assert found.relation == "duplicate" and found.candidate.release_id == 1


def test_a_press_offices_contact_footer_does_not_make_two_events_translations() -> None:
    # two releases of one office on one day, in two languages, ending with the same contact
    english = (
        "ASTANA, 14 March 2025 - The European Union and Kazakhstan held their annual Human Rights Dialogue. The "
        "delegations discussed freedom of assembly, the independence of the judiciary and the prevention of torture. "
        "The EU delegation was led by Ambassador Kestutis Jankauskas, the delegation of Kazakhstan by Deputy Minister "
        "Roman Vassilenko. Both sides agreed to hold the next round in Brussels.\n\n"
        "For further information: Aliya Nurlanovna, Press Officer, +7 7172 97 10 50, 8 (7172) 55-12-40"
    )
    russian = (
        "АСТАНА, 14 марта 2025 г. - Европейский союз запустил программу поддержки женщин-предпринимателей в Шымкенте "
        "и Туркестанской области: обучение, консультации и малые гранты для женских кооперативов. На открытии "
        "выступили представители акимата и Палаты предпринимателей «Атамекен».\n\n"
        "Для дополнительной информации: Алия Нурлановна, пресс-секретарь, +7 7172 97 10 50, 8 (7172) 55-12-40"
    )
    dialogue = candidate(1, english, source="eeas_kazakhstan", story_id=1)
    women = replace(candidate(2, russian, source="eeas_kazakhstan"), lang="ru")
    assert not dialogue.fingerprints.numbers & women.fingerprints.numbers  # a telephone number is no figure
    assert relate(women, dialogue) is None


def test_an_aggregators_copy_of_a_series_next_stop_does_not_join_the_last_stops_story() -> None:
    kostanay = candidate(1, TRAINING, story_id=1)
    pavlodar = TRAINING.replace("Twenty-eight", "Thirty-one").replace("Kostanay", "Pavlodar")
    pavlodar = pavlodar.replace("Aigul Sarsenbayeva", "Marat Zhumabekov")
    copy = replace(candidate(2, pavlodar, source="pubt_osce", event=date(2025, 3, 16)), syndication=True)
    assert matches(copy, [kostanay], originals={1: kostanay}) == []  # before the Pavlodar release itself
    retold = candidate(3, TRAINING.replace("Twenty-eight", "28"), source="newscentralasia", event=date(2025, 3, 15))
    assert matches(retold, [kostanay], originals={1: kostanay})  # the same figures a day on: one event
