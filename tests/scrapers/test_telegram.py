"""A Telegram post read from the channel's web preview or the post's embed, as the generic path
meets it: the post the URL names, its bold opening line as its title, its <time>."""

import pytest

from monitor.crawling.extract.article import extract_article
from monitor.crawling.extract.html import parse_html


def message(post: str, text: str, stamp: str, reply: str = "") -> str:
    quoted = (
        f'<div class="tgme_widget_message_reply"><div class="tgme_widget_message_text">{reply}</div></div>' if reply else ""
    )
    return f"""<div class="tgme_widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="{post}">
      <div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author"><span>Notes of a defender</span></div>
      {quoted}<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
      <div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">6.0K</span>
      <a class="tgme_widget_message_date" href="https://t.me/notes/{post.split('/')[1]}"><time datetime="{stamp}">09:41</time></a>
      </div></div></div></div>"""


PAGE = (
    "<html><head><title>Notes of a defender – Telegram</title></head><body><main class='tgme_channel_history'>"
    + message("notes/1486", "Tomorrow at 11:00, the fifth hearing in the Saparova case.", "2024-03-11T03:01:51+00:00")
    + message(
        "notes/1487",
        "<b>Saparova case: the court refused to recuse the expert</b><br/><br/>Yesterday the district court held the"
        " fifth hearing.<br/><br/>We asked for the linguist to be recused.",
        "2024-03-12T04:41:07+00:00",
    )
    + message("notes/1488", "Many ask how to send her a letter.", "2024-03-12T11:01:30+00:00", reply="Saparova case")
    + "</main></body></html>"
)


@pytest.mark.parametrize("url", ["https://t.me/s/notes/1487", "https://t.me/notes/1487?embed=1&mode=tme"])
def test_the_post_the_url_names_is_read_alone_its_bold_line_the_title(url: str) -> None:
    fields = extract_article(parse_html(PAGE), url, html=PAGE)
    assert fields.title == "Saparova case: the court refused to recuse the expert"
    assert fields.paragraphs == ["Yesterday the district court held the fifth hearing.", "We asked for the linguist to be recused."]
    assert fields.dates == [("time", "2024-03-12T04:41:07+00:00")]


def test_a_reply_is_read_without_the_post_it_quotes_and_a_post_without_a_bold_line_keeps_the_pages_title() -> None:
    fields = extract_article(parse_html(PAGE), "https://t.me/s/notes/1488", html=PAGE)
    assert fields.paragraphs == ["Many ask how to send her a letter."]
    assert fields.title_from != "the post's opening bold line"  # the page's own title stands


def test_a_page_without_the_post_the_url_names_is_read_as_any_page() -> None:
    fields = extract_article(parse_html(PAGE), "https://t.me/s/notes/9999", html=PAGE)
    assert fields.body_from != "telegram post"
