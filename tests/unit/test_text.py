import pytest

from monitor.understanding.normalize.text import clean_text, fingerprint, listing_fingerprint, summarize


def test_source_trailer_and_photo_caption_are_set_apart() -> None:
    text = (
        "Participants of the conference in Astana. (OSCE) Photo details\n\n"
        "The regional conference took place in Astana. It gathered 80 participants.\n\n"
        "Source : OSCE"
    )
    body, captions = clean_text(text)
    assert body == "The regional conference took place in Astana. It gathered 80 participants."
    assert captions == ["Participants of the conference in Astana."]




@pytest.mark.parametrize(
    "caption",
    [
        "Die Orgelbauer beim Einsetzen der Prospektpfeifen (Foto: M. Kessler)",
        "Pupils of the legal clinic in Osh (Photo: UN Women/A. Kenzhebayeva)",
        "Plenário durante a votação. Foto: Divulgação/CMVAS",
        "Сүрөт: Судьялар кеңешинин басма сөз кызматы",
        "Fotos: Lars Petersen",
        "Representative image (File photo: AP)",
        "Fotoğraflar: Basın Yayın ve Halkla İlişkiler Müdürlüğü",
    ],
)
def test_a_line_a_photo_credit_closes_is_a_caption_in_any_of_the_usual_languages(caption: str) -> None:
    text = f"The court opened its new building in Osh on Monday.\n\n{caption}\n\nJudges moved in the same week."
    body, captions = clean_text(text)
    assert caption not in body and len(captions) == 1


@pytest.mark.parametrize(
    "line",
    [
        "ЧИТАЙТЕ ТАКЖЕ: Карта подтоплений ЗКО — обновляется ежедневно",
        "Lesen Sie auch: Neue Radwege für die Innenstadt",
        "بیشتر بخوانید: افزایش قیمت فرش در بازار تهران",
        "You have 2 free articles left this month. Subscribe for unlimited access.",
        "Join The Lagos Courier WhatsApp channel for breaking news and updates.",
    ],
)
def test_a_link_to_another_story_or_a_paywalls_count_inside_the_text_is_not_text(line: str) -> None:
    text = f"The river rose by a metre overnight in Uralsk.\n\n{line}\n\nRescuers moved 40 families to the school."
    assert clean_text(text)[0] == "The river rose by a metre overnight in Uralsk.\n\nRescuers moved 40 families to the school."


def test_aggregator_trailers_are_dropped() -> None:
    text = "First paragraph of the release.\n\nOriginal Source: www.osce.org\n\nPost Comment"
    assert clean_text(text)[0] == "First paragraph of the release."


def test_a_source_line_within_the_body_credits_a_figure_and_is_kept_with_the_captions() -> None:
    text = (
        "The number of people on probation in Kazakhstan grew by a fifth in 2024.\n\n"
        "Source: Ministry of Justice statistics, 2024\n\n"
        "The OSCE Programme Office trains probation officers in every region.\n\n"
        "Source: OSCE\n\n"
        "Post Comment"
    )
    assert clean_text(text) == (
        "The number of people on probation in Kazakhstan grew by a fifth in 2024.\n\n"
        "The OSCE Programme Office trains probation officers in every region.",
        ["Source: Ministry of Justice statistics, 2024"],
    )
    # before the body, under a photo, it is the copy's heading
    text = "Judges in Astana. (OSCE) Photo details\n\nSource: OSCE\n\nThe court opened its first hearing on 3 May."
    assert clean_text(text) == ("The court opened its first hearing on 3 May.", ["Judges in Astana."])


def test_summary_stops_on_a_sentence_boundary() -> None:
    text = " ".join(f"Sentence number {i} says something about courts." for i in range(30))
    summary = summarize(text, max_sentences=3)
    assert summary.count(".") == 3
    assert summary.endswith("courts.")


def test_fingerprints_ignore_case_spacing_and_punctuation() -> None:
    assert fingerprint("Title", "Some  text, here.") == fingerprint("title", "some text here")
    assert fingerprint("Title", "Some text") != fingerprint("Title", "Other text")
    first = listing_fingerprint("T", [("listing", "1 May 2024")], "teaser")
    assert first == listing_fingerprint("T", [("listing", "1 May 2024")], "teaser ")
    assert first != listing_fingerprint("T (updated)", [("listing", "1 May 2024")], "teaser")


def test_feed_footers_ad_labels_and_photo_credits_are_not_the_release() -> None:
    text = (
        "The opening ceremony of the shelter in Dushanbe. Photo: UNODC\n\n"
        "DUSHANBE, 14 March 2025 - The first shelter opened today.\n\n"
        "Advertisement\n\n"
        "He showed the judges a photo by the neighbour.\n\n"
        "The post Shelter opens appeared first on nCa."
    )
    body, captions = clean_text(text)
    assert (
        body
        == "DUSHANBE, 14 March 2025 - The first shelter opened today.\n\nHe showed the judges a photo by the neighbour."
    )
    assert captions == ["The opening ceremony of the shelter in Dushanbe. Photo: UNODC"]


def test_lines_selling_the_site_to_the_reader_are_not_the_release() -> None:
    release = [
        "The court opened its first hearing on 3 May.",
        "Judges said the new rules apply to all cases; lawyers can sign up for the training until June.",
        "Through the eGov mobile app, citizens can sign up for legal aid; users can download the app for free.",
        "Subscribers of the bar association's bulletin were told in April.",
        "Стороны договорились подписаться под заявлением в рамках канала диалога.",
        "Citizens can get the latest news on their hearings through the e-Sud app.",
        "No comments were received during the public consultation on the draft code.",
        "The editor of a local paper was among the journalists trained in Osh.",
        "Residents are urged to download the official 112 Kazakhstan app to receive the latest news on warnings.",
        "Participants learned how to write a letter to the editor and what you think about this story matters.",
        "The draft law requires influencers to label affiliate links and sets an advertising policy for state media.",
        "Victims told the mission: 'We receive compensation only years after the verdict.'",
    ]
    prompts = [
        "Never miss the latest news by signing up to our newsletter today!",
        "To view the full story, please subscribe to the Courier.",
        "Want more stories in your inbox? Subscribe to the Courier's weekly newsletter.",
        "Download our app for iOS and Android.",
        "Подписывайтесь на наш Telegram-канал, чтобы не пропустить новости.",
        "© 2025 Courier Media. All rights reserved.",
        "Get the latest news straight to your phone with the Courier app.",
        "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
        "© Courier | Jane Doe",
        "This post contains references to products from our advertisers. We may receive compensation when you"
        " click on links to those products. For an explanation of our Advertising Policy, visit this page.",
    ]
    body, _ = clean_text("\n\n".join([release[0], prompts[0], *release[1:3], *prompts[1:], *release[3:]]))
    assert body == "\n\n".join(release)
    # a release of one line is never emptied
    notice = "Citizens can now download the eGov app to sign up for our new child benefit from 1 July 2025."
    assert clean_text(notice)[0] == notice


def test_a_title_in_decomposed_form_is_the_same_title(settings) -> None:
    import unicodedata
    from datetime import date

    from monitor.records import RawRelease, Release
    from monitor.understanding.normalize import normalize_release

    title, text = "Осуждённые женщины получат доступ к обучению", "Суд Астаны рассмотрел дело. " * 20

    def normalized(title: str) -> Release:
        raw = RawRelease(source="osce_astana", url="https://x/node/1", title=title, text=text)
        return normalize_release(raw, settings.sources["osce_astana"], {}, date(2026, 1, 1))

    typed, from_pdf = normalized(title), normalized(unicodedata.normalize("NFD", title))
    assert from_pdf.title == typed.title and from_pdf.content_hash == typed.content_hash


def test_a_byline_is_names_and_a_lead_opening_with_by_is_the_release() -> None:
    body = "The Programme Office held a seminar on legal aid for judges from all regions of Kazakhstan."
    for byline in ("By Aigerim Zhaksylykova and Dmitry Ivanov", "by Marat", "BY STAFF REPORTER", "By Željka Šulc",
                   "By Łukasz Nowak", "By Ömer Çelik"):  # fmt: skip
        assert clean_text(f"{byline}\n\n{body}")[0] == body
    for lead in ("By the end of 2025 all courts will hear cases online.", "By Decree No. 5 the courts go online."):
        assert clean_text(f"{lead}\n\n{body}")[0] == f"{lead}\n\n{body}"


def test_a_press_offices_release_line_over_the_dateline_is_not_the_release() -> None:
    body = "Bishkek, April 2, 2024 – The Academy of the Ministry of Internal Affairs adopted a new course."
    for line in ("FOR IMMEDIATE RELEASE", "For immediate release", "IMMEDIATE RELEASE"):
        assert clean_text(f"{line}\n\n{body}")[0] == body
    # the words within a sentence are the release's
    said = "The ministry asked for the immediate release of the detained journalists."
    assert clean_text(f"{said}\n\n{body}")[0] == f"{said}\n\n{body}"


def test_a_link_to_the_document_itself_is_not_the_release() -> None:
    body = "ODIHR stands ready to provide a legal review of the draft upon request."
    for line in ("Download the full statement (PDF) (212.4 KB)", "Download the full statement (PDF) PDF, 188 KB",
                 "Скачать полный текст заявления (PDF, 188 КБ)"):  # fmt: skip
        assert clean_text(f"{body}\n\n{line}")[0] == body
    said = "Participants could download the guidance as a PDF and discuss it with the trainers in the afternoon session."
    assert clean_text(f"{body}\n\n{said}")[0] == f"{body}\n\n{said}"  # not a line of its own


def test_the_media_contacts_closing_a_press_release_are_not_its_text() -> None:
    body = "The Programme Office held a seminar on legal aid for judges from all regions of Kazakhstan."
    contacts = [
        "For further information, please contact:",
        "Aigerim Sadykova, Press Officer",
        "Tel: +7 7172 58 00 70",
        "E-mail: press@example.org",
        "Share:",
    ]
    assert clean_text("\n\n".join([body, *contacts]))[0] == body
    assert clean_text(f"{body}\n\nКонтакты для СМИ\n\nДана Серикбаева, Тел.: +7 727 339 12 40")[0] == body
    heading = "For more information and media requests, please contact:"
    assert clean_text(f"{body}\n\n{heading}\n\nBermet Zhumabaeva, Public Information Officer, +996 312 61 12 35")[0] == body
    # a heading so worded that a paragraph of the release follows is not a contact block
    later = "The seminar ends a series of six. " * 12
    text = f"{body}\n\nPress contacts\n\n{later.strip()}"
    assert clean_text(text)[0] == text
