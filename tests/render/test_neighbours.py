"""Good neighbours: feed text is someone else's words, never the author's prose.

sphinxcontrib-spelling never sees it (its words change with the feed, so no word
list could keep ``-W -b spelling`` green); sphinxext-opengraph never makes it the
page's description (``og:description``, ``<meta name="description">``). Both
extensions are in the ``test`` extra; sphinxcontrib-spelling also needs the
enchant library and an English dictionary (``.ci/run`` installs them).
"""

from __future__ import annotations

import html
import re

import pytest
from helpers import warning_lines

AUTHOR = "The author's own words come after the feed, and they are the page's description."


def _spelling_ready() -> None:
    pytest.importorskip("sphinxcontrib.spelling", reason="pip install -e '.[test]'")
    try:
        import enchant

        enchant.Dict("en_US")
    except Exception as error:  # no libenchant, or no English dictionary
        pytest.skip(
            f"sphinxcontrib-spelling cannot check English here ({error}): "
            "apt-get install libenchant-2-2 hunspell-en-us (.ci/run does this)"
        )


def test_spelling_never_sees_the_feed(project):
    _spelling_ready()
    site = project("neighbours", extra="")
    app = site.build(
        "spelling",
        warningiserror=True,  # sphinx-build -W -b spelling
        confoverrides={"extensions": ["sphinxcontrib_feed", "sphinxcontrib.spelling"]},
    )
    assert app.statuscode == 0, site.last_warnings
    assert warning_lines(site.last_warnings) == []
    assert not list((site.srcdir / "_build" / "spelling").glob("*.spelling"))


def test_spelling_still_checks_the_authors_words(project):
    _spelling_ready()
    site = project("neighbours", extra="Teh autor misspeled this sentense.")
    app = site.build(
        "spelling",
        warningiserror=True,
        confoverrides={"extensions": ["sphinxcontrib_feed", "sphinxcontrib.spelling"]},
    )
    assert app.statuscode == 1
    [report] = (site.srcdir / "_build" / "spelling").glob("*.spelling")
    words = set(re.findall(r"\((\w+)\)", report.read_text(encoding="utf-8")))
    assert {"Teh", "autor", "misspeled", "sentense"} <= words
    assert not words & {"Zyxwvutish", "yeetified", "flurbonator", "Snarflewump", "Zorblax"}


def test_the_page_description_is_the_authors_text(project):
    pytest.importorskip("sphinxext.opengraph", reason="pip install -e '.[test]'")
    site = project("neighbours", extra="")
    app = site.build(
        "html",
        warningiserror=True,
        confoverrides={"extensions": ["sphinxcontrib_feed", "sphinxext.opengraph"]},
    )
    assert app.statuscode == 0, site.last_warnings
    page = site.output("index.html")
    og = re.search(r'<meta property="og:description" content="([^"]*)"', page)
    meta = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert og is not None and meta is not None
    for description in (html.unescape(og[1]), html.unescape(meta[1])):
        description = description.replace("\u2019", "'")  # smart quotes
        assert description.startswith(AUTHOR[:60]), description
        assert "Zyxwvutish" not in description and "yeetified" not in description
    assert "yeetified the flurbonator" in page  # the feed is on the page all the same
    assert 'class="feed-block feed-list no-search"' in page


def test_a_page_whose_feed_is_down_describes_itself(project, dead_url: str):
    pytest.importorskip("sphinxext.opengraph", reason="pip install -e '.[test]'")
    site = project("neighbours", extra="")
    index = site.srcdir / "index.rst"
    index.write_text(index.read_text("utf-8").replace("_feeds/slang.rss", dead_url), "utf-8")
    site.build("html", confoverrides={"extensions": ["sphinxcontrib_feed", "sphinxext.opengraph"]})
    page = site.output("index.html")
    assert "Feed unavailable." in page
    og = re.search(r'<meta property="og:description" content="([^"]*)"', page)
    assert og is not None and "Feed unavailable" not in og[1]
    assert html.unescape(og[1]).replace("\u2019", "'").startswith(AUTHOR[:60])
