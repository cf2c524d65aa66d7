"""Pictures in summaries: trackers removed, and the thumbnail chosen as a reader would.

A **tracker** is an ``<img>`` that shows nothing and tells its server who
read the item: declared 1 pixel (or 0) wide or high, or at a known tracking
address (Medium's ``/_/stat``, Feedburner's ``~r``/``~ff``, WordPress
``pixel.wp.com``, Substack's ``open`` beacon, ...). :func:`drop_trackers`
removes them from the raw summary before it is sanitized, so none is ever
written into a page: a privacy promise (docs/security.rst).

The **thumbnail** taken from the text (when the feed gives no media of its
own, see :mod:`.parse.media`) is its first *real* picture: not a tracker,
not an icon (declared smaller than :data:`ICON_SIZE`, an emoji, a
``.ico``/``.svg`` file), not a video file in an ``<img>`` (a page would show
it as a video without controls), and not a picture the feed repeats on
:data:`REPEATED` or more items (share buttons, logos, file-type icons,
see :func:`repeated_pictures`). The same rule holds for the feed's own
media: a ``media:thumbnail`` on three items that play nothing is the site's
logo or the author's avatar (:func:`repeated_media`), and is not shown.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import TYPE_CHECKING

from sphinxcontrib_feed.model import media_type

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinxcontrib_feed.model import Entry

#: A picture on this many items of one feed is the feed's furniture, not an item's picture.
REPEATED = 3
#: Declared smaller than this (in either dimension), a picture is an icon.
ICON_SIZE = 48

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TRACKING = re.compile(
    r"//(?:[^/]*\.)?(?:medium\.com/_/stat|feeds\.feedburner\.com/~[rf]f?/|feedproxy\.google\.com/~r/"
    r"|pixel\.wp\.com/|stats\.wordpress\.com/|[^/]*substack[^/]*/open\b|www\.google-analytics\.com/"
    r"|[^/]*doubleclick\.net/|pixel\.[^/]+/)"
    r"|/(?:~ff/|~r/|pixel(?:\.gif|\.png)?(?:[/?]|\Z)|__utm\.gif|beacon(?:[/?.]|\Z)|track(?:ing)?/open"
    r"|open\.gif|wf/open)",
    re.IGNORECASE,
)
_VIDEO_FILE = re.compile(r"\.(?:mp4|m4v|webm|ogv|ogg|mov|avi|mkv)(?:[?#]|\Z)", re.IGNORECASE)
_ICON_FILE = re.compile(r"\.(?:ico|svgz?)(?:[?#]|\Z)|/emoji/|[/.]gravatar\.com/", re.IGNORECASE)
_ICON_CLASS = re.compile(r"\b(?:emoji|wp-smiley|icon|avatar)\b", re.IGNORECASE)
_SOURCE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one ``<img ...>`` tag, entities decoded (the first of each name)."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(tag, 4):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found.setdefault(match[1].lower(), html.unescape(value))
    return found


def _size(value: str | None) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*\Z", value or "")
    return float(match[1]) if match else None


def is_tracker(found: dict[str, str]) -> bool:
    sizes = [_size(found.get(name)) for name in ("width", "height")]
    if any(size is not None and size <= 1 for size in sizes):
        return True
    return bool(_TRACKING.search(found.get("src", "")))


def is_icon(found: dict[str, str]) -> bool:
    sizes = [_size(found.get(name)) for name in ("width", "height")]
    if any(size is not None and size < ICON_SIZE for size in sizes):
        return True
    return bool(
        _ICON_FILE.search(found.get("src", "")) or _ICON_CLASS.search(found.get("class", ""))
    )


def is_video_file(url: str) -> bool:
    return bool(_VIDEO_FILE.search(url))


def drop_trackers(fragment: str) -> str:
    """*fragment* (raw HTML) without its tracking images, and a video file in an
    ``<img>`` made a link to it (a page would show it as a video without controls)."""
    if "<img" not in fragment and "<IMG" not in fragment:
        return fragment
    return _IMG.sub(_kept, fragment)


def _kept(match: re.Match[str]) -> str:
    found = attributes(match[0])
    if is_tracker(found):
        return ""
    source = found.get("src", "")
    if is_video_file(source):
        text = found.get("alt") or source.rsplit("/", 1)[-1].split("?", 1)[0] or source
        return f'<a href="{html.escape(source)}">{html.escape(text)}</a>'
    return match[0]


def unwanted_in(fragment: str) -> set[str]:
    """The ``src`` (as written) of every picture of raw *fragment* that is no thumbnail."""
    unwanted = set()
    for match in _IMG.finditer(fragment):
        found = attributes(match[0])
        if is_icon(found) or is_tracker(found):
            unwanted.add(found.get("src", "").strip())
    return unwanted


def sources_in(fragment: str) -> set[str]:
    """Every ``src`` (as written) of raw *fragment*."""
    return {attributes(match[0]).get("src", "").strip() for match in _IMG.finditer(fragment)}


def repeated_pictures(entries: Iterable[Entry]) -> frozenset[str]:
    """The picture sources (as written) found in :data:`REPEATED` or more items."""
    counts: Counter[str] = Counter()
    for entry in entries:
        fragment = entry.raw_summary or entry.summary_html
        if "<img" in fragment or "<IMG" in fragment:
            counts.update(sources_in(fragment))
    return frozenset(source for source, count in counts.items() if count >= REPEATED and source)


def repeated_media(entries: Iterable[Entry]) -> frozenset[str]:
    """The feed's own pictures (``media:thumbnail`` and the like) on :data:`REPEATED` or
    more items that play nothing: a site's logo or an author's avatar, not the items'.

    Items with audio or video keep theirs: a podcast's show art on every episode is
    the episode's artwork.
    """
    counts = Counter(entry.image for entry in entries if entry.image and not _plays(entry))
    return frozenset(image for image, count in counts.items() if count >= REPEATED)


def _plays(entry: Entry) -> bool:
    return any(media_type(e).startswith(("audio/", "video/")) for e in entry.enclosures)


def first_picture(cleaned: str, unwanted: Iterable[str]) -> str | None:
    """The first picture of sanitized *cleaned* whose URL is none of *unwanted* (resolved)."""
    skip = set(unwanted)
    for match in _SOURCE.finditer(cleaned):
        url = html.unescape(match[1])
        if url not in skip and not is_video_file(url) and not _ICON_FILE.search(url):
            return url
    return None
