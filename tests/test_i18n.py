"""The extension's own words and dates in the docs' ``language``, and what ``gettext`` extracts.

The expected labels come from the shipped catalogs in ``sphinxcontrib_feed/locales``,
so the tests check that a build picks them up, not the wording of a translation.
"""

from __future__ import annotations

import gettext
import re
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, serve_feed, warning_lines

from sphinxcontrib_feed.locale import LOCALE_DIR, MESSAGE_CATALOG

if TYPE_CHECKING:
    from conftest import Project
    from pytest_httpserver import HTTPServer

EMPTY_RSS = """\
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Nothing yet</title>
    <link>https://empty.example.org/</link>
    <description>A feed without items.</description>
  </channel>
</rss>
"""

# releases.atom's newest entry is from 2026-06-01, as the locale's medium date.
FIRST_ENTRY_DATES = {
    "de": "01.06.2026",
    "fr": "1 juin 2026",
    "ja": "2026/06/01",
    "zh_CN": "2026年6月1日",
}


def translated(language: str, message: str) -> str:
    """*message* as the shipped catalog for *language* has it (an error if it is missing)."""
    catalog = gettext.translation(MESSAGE_CATALOG, LOCALE_DIR, languages=[language])
    text = catalog.gettext(message)
    assert text != message, f"{message!r} is not translated for {language}"
    return text


def build_in(
    project, httpserver: HTTPServer, language: str | None, builder: str = "html"
) -> Project:
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    built = project("i18n")
    (built.srcdir / "_feeds/empty.rss").write_text(EMPTY_RSS, encoding="utf-8")
    built.build(builder, confoverrides={"language": language} if language else {})
    assert warning_lines(built.last_warnings) == []
    return built


@pytest.mark.parametrize("language", ["de", "fr", "ja", "zh_CN"])
def test_labels_and_dates_follow_the_language(project, httpserver: HTTPServer, language: str):
    built = build_in(project, httpserver, language)
    html = built.output("index.html")

    feeds, notes = feeds_in(html)
    assert len(feeds) == 3
    [first] = feeds[0]
    assert feeds[1] == []
    assert [item.date for item in feeds[2]] == [FIRST_ENTRY_DATES[language]]
    # the feed's own text is never translated, its date is written the locale's way
    assert first.title == "Version 3.0.0"
    assert first.datetime == "2026-06-01T12:00:00Z"
    assert first.date == FIRST_ENTRY_DATES[language]
    assert notes == [translated(language, "No items.")]
    # "As of <date>" around the fetch date, in the language's word order
    before, after = translated(language, "As of %s").split("%s")
    as_of = re.search(r'<p class="feed-as-of"><time datetime="[^"]+">(.*?)</time>', html)
    assert as_of is not None
    assert as_of[1].startswith(before)
    assert as_of[1].endswith(after)
    assert len(as_of[1]) > len(before + after)


def test_german_catalog_is_the_one_used(project, httpserver: HTTPServer):
    built = build_in(project, httpserver, "de")
    html = built.output("index.html")

    assert translated("de", "No items.") in html
    assert "No items." not in html
    assert "01.06.2026" in html
    assert "Jun 1, 2026" not in html


def test_english_without_a_language(project, httpserver: HTTPServer):
    built = build_in(project, httpserver, None)

    feeds, notes = feeds_in(built.output("index.html"))
    assert feeds[0][0].date == "Jun 1, 2026"
    assert notes == ["No items."]


def test_gettext_extracts_the_page_but_not_the_feeds(project, httpserver: HTTPServer):
    built = build_in(project, httpserver, None, "gettext")

    pot = built.srcdir / "_build" / "gettext" / "index.pot"
    assert pot.is_file()
    text = pot.read_text(encoding="utf-8")
    assert 'msgid "Release history"' in text
    assert 'msgid "The latest release, from the project\'s own feed."' in text
    assert 'msgid "Nothing has been announced yet."' in text
    assert 'msgid "The same feed from its web address, with the date it was fetched."' in text
    for feed_text in (
        "Version 3.0.0",
        "The third major version.",
        "Version 2.1.0",
        "No items.",
        "As of",
    ):
        assert feed_text not in text


def test_simplified_chinese(project, httpserver: HTTPServer):
    built = build_in(project, httpserver, "zh_CN")
    html = built.output("index.html")

    assert '<html lang="zh-CN"' in html
    feeds, notes = feeds_in(html)
    assert notes == [translated("zh_CN", "No items.")]
    assert feeds[0][0].date == "2026年6月1日"
    assert "No items." not in html


def test_a_language_without_a_catalog_keeps_english_words_but_local_dates(
    project, httpserver: HTTPServer
):
    with pytest.raises(OSError):
        gettext.translation(MESSAGE_CATALOG, LOCALE_DIR, languages=["it"])
    built = build_in(project, httpserver, "it")

    feeds, notes = feeds_in(built.output("index.html"))
    assert notes == ["No items."]
    assert feeds[0][0].date == "1 giu 2026"


def test_one_process_builds_in_one_language_after_another(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    for number, language in enumerate(("de", "fr", "ja", "de")):
        built = project("i18n", folder=f"i18n-{number}")
        (built.srcdir / "_feeds/empty.rss").write_text(EMPTY_RSS, encoding="utf-8")
        built.build(confoverrides={"language": language})
        feeds, notes = feeds_in(built.output("index.html"))
        assert notes == [translated(language, "No items.")]
        assert feeds[0][0].date == FIRST_ENTRY_DATES[language]
