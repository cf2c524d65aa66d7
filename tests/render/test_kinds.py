"""Issue 19, every kind of feed: podcasts, untitled posts, trackers, right to left, feed files
with relative links; each in HTML, text and LaTeX (one test root per kind)."""

from __future__ import annotations

import re

import pytest
from helpers import warning_lines

from sphinxcontrib_feed.finish.pictures import drop_trackers, first_picture, repeated_pictures
from sphinxcontrib_feed.model import Entry
from sphinxcontrib_feed.parse.media import duration, language
from sphinxcontrib_feed.render.media import first_sentence

BUILDERS = ("html", "text", "latex")
OUTPUT = {"html": "index.html", "text": "index.txt", "latex": "projectnamenotset.tex"}
MP3 = "http://traffic.libsyn.com/atpfm/atp31{}.mp3"


def built(project, name: str) -> dict[str, str]:
    """The index page of ``roots/test-kinds-<name>`` in every builder, and the warnings."""
    site = project(f"kinds-{name}")
    pages: dict[str, str] = {}
    for builder in BUILDERS:
        site.build(builder)
        folder = site.srcdir / "_build" / builder
        path = folder / OUTPUT[builder]
        if builder == "latex":
            [path] = folder.glob("*.tex")
        pages[builder] = path.read_text(encoding="utf-8")
        pages[f"{builder}-warnings"] = "\n".join(warning_lines(site.last_warnings))
    return pages


def test_podcast_episodes_are_playable_and_show_their_artwork(project):
    pages = built(project, "podcast")
    html = pages["html"]
    players = re.findall(r"<audio [^>]*>", html)
    assert len(players) == 3  # every episode of the :media: player feed, none elsewhere
    assert all('controls preload="none"' in tag and "autoplay" not in tag for tag in players)
    for number in (1, 0):
        assert f'<source src="{MP3.format(number)}" type="audio/mpeg">' in html
    assert "atp309.mp3" in html  # no type in the feed: guessed from the file name
    assert "Audio (MP3, 54.9 MB, 1:54:09)" in html
    assert html.count('class="feed-image"') == 3  # the show's artwork, one per episode
    assert "1500w/Artwork.jpg" in html
    assert 'class="feed-block feed-list hidden-media' in html
    hidden = html[html.index("hidden-media") :]
    assert "atp311.mp3" not in hidden  # :media: none
    for builder in ("text", "latex"):
        for number in (1, 0):
            assert MP3.format(number) in pages[builder], builder
        assert "<audio" not in pages[builder]
    assert "Audio (MP3, 54.9 MB, 1:54:09): http://traffic.libsyn.com/atpfm/atp311.mp3" in (
        " ".join(pages["text"].split())
    )


def test_untitled_posts_show_their_words_once(project):
    pages = built(project, "social")
    text = pages["text"]
    # list and rich: no invented title, the date is the heading
    assert "* Jun 1, 2026\n\n  Plan for the weekend · Deploy the new release" in text
    # cards: the first sentence leads, the summary starts after it
    assert "* Shipped the parser rewrite today. — May 31, 2026\n\n  It reads every feed" in text
    assert "* Plan for the weekend — Jun 1, 2026\n\n  Deploy the new release · Write" in text
    assert "Plan for the weekend · -" not in text
    for builder in BUILDERS:
        page = pages[builder]
        assert page.count("Shipped the parser rewrite today") == 4, builder  # once a feed
        assert "https://files.social.example/media/demo.mp4" in page, builder
    html = pages["html"]
    assert len(re.findall(r"<video [^>]*controls preload=\"none\"", html)) == 4
    assert re.search(
        r'<p class="feed-heading" dir="auto"><a class="feed-title reference external" '
        r'href="https://social.example/&#64;ada/2"><time', html
    )  # fmt: skip


def test_trackers_and_repeated_pictures_never_show(project):
    pages = built(project, "trackers")
    html = pages["html"]
    assert "medium.com/_/stat" not in html
    assert "/pixel/" not in html
    thumbnails = re.findall(r'<img alt="" class="feed-image"[^>]*src="([^"]+)"', html)
    assert thumbnails == [f"https://blog.example.net/photos/{n}.jpg" for n in (4, 3, 1)]
    for number in (4, 3, 1):  # the thumbnail is not shown again inside its summary
        assert html.count(f"photos/{number}.jpg") == 1
    assert "<video" not in html  # a video file in an <img> is a link, not a bare video
    assert '<a class="reference external" href="https://blog.example.net/clips/5.mp4">' in html
    for builder in ("text", "latex"):
        assert "medium.com/_/stat" not in pages[builder]


def test_right_to_left_text_carries_its_direction_and_language(project):
    pages = built(project, "rtl")
    html = pages["html"]
    assert html.count('no-search" lang="ar">') == 2  # the feed's box: its language
    assert html.count('<p class="feed-heading" dir="auto">') == 4
    assert '<p class="feed-summary" dir="auto">' in html
    assert '<p dir="auto">يسعدنا' in html
    assert "إصدار جديد من المشروع" in pages["text"]  # pdflatex cannot typeset Arabic
    for builder in ("text", "latex"):
        assert "https://ar.example.org/posts/1.html" in pages[builder] or builder == "text"
        assert 'dir="auto"' not in pages[builder]


def test_feed_files_resolve_relative_links(project):
    pages = built(project, "links")
    html = pages["html"]
    assert 'href="https://self.example.org/news/posts/one.html"' in html
    assert 'href="https://self.example.org/posts/two.html"' in html
    assert 'href="https://noself.example.org/blog/posts/one.html"' in html
    for builder in BUILDERS:
        [warning] = [w for w in pages[f"{builder}-warnings"].splitlines() if "relative" in w]
        assert "index.rst:11: WARNING: feed /_feeds/kinds-noself.rss: 2 item link(s)" in warning
        assert ":base: URL [feed.parse]" in warning
    assert "https://self.example.org/news/posts/one.html" in pages["latex"]
    # the author's :base: wins over the address the feed states for itself
    mirrored = html.split("base-over-self")[1]
    assert 'href="https://mirror.example.org/news/posts/one.html"' in mirrored
    assert 'href="https://mirror.example.org/posts/two.html"' in mirrored


@pytest.mark.parametrize(
    ("text", "title", "rest"),
    [
        ("Plan for the weekend · Deploy · Write", "Plan for the weekend", "Deploy · Write"),
        ("One. Two. Three.", "One.", "Two. Three."),
        ("هل هذا سؤال؟ نعم", "هل هذا سؤال؟", "نعم"),
    ],
)
def test_first_sentence(text: str, title: str, rest: str):
    got_title, got_rest = first_sentence(text.strip())
    assert (got_title, got_rest) == (title.strip(), rest.strip())
    assert not got_rest or not got_title.removesuffix("…").endswith(got_rest.split()[0] + " ")


def test_a_long_first_sentence_is_cut_and_the_rest_follows():
    text = " ".join(f"w{n}" for n in range(40))
    title, rest = first_sentence(text)
    assert title.endswith("…") and len(title) <= 80
    assert title.removesuffix("…").rstrip() + " " + rest == text


def test_trackers_are_dropped_by_size_and_address():
    fragment = (
        '<p>a</p><img src="x.png" width="1" height="1"><img src="y.png" height="0">'
        '<img src="https://medium.com/_/stat?event=x"><img src="https://pixel.wp.com/g.gif">'
        '<img src="real.jpg" width="600">'
    )
    assert drop_trackers(fragment) == '<p>a</p><img src="real.jpg" width="600">'


def test_pictures_repeated_on_three_items_are_no_thumbnails():
    share = '<img src="share.png">'
    entries = [Entry(title=str(n), raw_summary=f"{share}<img src='{n}.jpg'>") for n in range(3)]
    assert repeated_pictures(entries) == frozenset({"share.png"})
    cleaned = '<img src="https://e.org/share.png"><img src="https://e.org/1.jpg">'
    assert first_picture(cleaned, {"https://e.org/share.png"}) == "https://e.org/1.jpg"
    assert first_picture('<img src="https://e.org/clip.mp4">', ()) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [("01:54:09", "1:54:09"), ("3600", "1:00:00"), ("59:07", "59:07"), ("95", "1:35"),
     ("", ""), ("soon", ""), ("0", "")],
)  # fmt: skip
def test_itunes_durations(value: str, shown: str):
    assert duration(value) == shown


def test_languages():
    assert language("en_US") == "en-US"
    assert language(" ar ") == "ar"
    assert language("not a language!") == ""
    assert language(None) == ""
