"""Issue 19: no thumbnail is a picture the feed repeats on three or more items.

Pictures taken from the text were already judged so; the feed's own media
(``media:thumbnail``) are now too, except on items that play audio or video,
whose shared show art is their artwork.
"""

from __future__ import annotations

from helpers import corpus_folder

from sphinxcontrib_feed.finish.shown import finish_feed
from sphinxcontrib_feed.model import Enclosure, Entry, Feed
from sphinxcontrib_feed.parse.document import parse_feed

AVATAR = "https://example.org/avatar.png"


def _items(count: int, **fields: object) -> tuple[Entry, ...]:
    return tuple(
        Entry(title=f"Post {n}", link=f"https://example.org/{n}", image=AVATAR, **fields)  # type: ignore[arg-type]
        for n in range(count)
    )


def test_a_media_picture_on_three_items_is_the_feeds_furniture():
    shown = finish_feed(Feed(title="Blog", entries=_items(3)))
    assert [entry.image for entry in shown.entries] == [None, None, None]


def test_a_media_picture_on_two_items_is_theirs():
    shown = finish_feed(Feed(title="Blog", entries=_items(2)))
    assert [entry.image for entry in shown.entries] == [AVATAR, AVATAR]


def test_show_art_on_every_episode_is_each_episodes_artwork():
    audio = (Enclosure(url="https://example.org/e.mp3", type="audio/mpeg"),)
    shown = finish_feed(Feed(title="Podcast", entries=_items(5, enclosures=audio)))
    assert {entry.image for entry in shown.entries} == {AVATAR}


def test_the_real_github_releases_feed_shows_no_avatar_as_thumbnails():
    content = (corpus_folder("realworld") / "github_releases_feed-rs.atom").read_bytes()
    feed, _ = parse_feed(content, "https://github.com/feed-rs/feed-rs/releases.atom")
    images = [entry.image for entry in feed.entries if entry.image]
    assert all(images.count(image) < 3 for image in images)
