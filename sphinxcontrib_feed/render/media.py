"""The parts of an item that depend on its kind: media, untitled posts, relative links.

* **Audio and video** enclosures (podcasts, video feeds): in HTML, with
  ``:media: player`` (the default), a native ``<audio>``/``<video>`` with
  ``controls`` and ``preload="none"``: never autoplay, nothing downloaded
  before a click. Every builder gets a line with a download link, the file's
  type, size and duration (``itunes:duration``); ``:media: none`` hides both.
* **Untitled** items (Mastodon, Bluesky, micro.blog): the text is the body,
  no title is invented above it; where a title line is all the layout shows
  (``compact``, ``:summary: none``) or leads a card (``cards`` with a text
  summary), it is the first sentence, and the summary starts after it.
* **Relative item links** of a feed file: resolved against ``:base:`` when
  the author gives it, else against the address the feed states for itself
  (:mod:`.parse`); when neither is there, one warning at the directive.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.util import logging

from sphinxcontrib_feed.finish.pictures import is_video_file
from sphinxcontrib_feed.finish.sanitize import safe_url
from sphinxcontrib_feed.locale import _, __
from sphinxcontrib_feed.model import media_type
from sphinxcontrib_feed.text import BLOCK_SEPARATOR, shorten

if TYPE_CHECKING:
    from sphinxcontrib_feed.model import Enclosure, Entry, Feed

logger = logging.getLogger(__name__)
_Node = TypeVar("_Node", bound=nodes.Node)

#: Longest title made up from the text of an untitled item.
UNTITLED_LENGTH = 80
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\u061f\u06d4](?=\s|\Z)")
_UNITS = ("B", "KB", "MB", "GB", "TB")


def playable(entry: Entry) -> list[Enclosure]:
    """The item's audio and video files."""
    return [e for e in entry.enclosures if media_type(e).startswith(("audio/", "video/"))]


def media_nodes(entry: Entry, options: dict[str, Any], html_output: bool) -> list[nodes.Node]:
    """A player (HTML, ``:media: player``) and a download line per audio or video file."""
    mode = options.get("media") or "player"
    if mode == "none":
        return []
    found: list[nodes.Node] = []
    for enclosure in playable(entry):
        mime_type = media_type(enclosure)
        kind = mime_type.split("/", 1)[0]
        block = nodes.container(classes=["feed-media", f"feed-{kind}"])
        if html_output and mode == "player":
            url = html.escape(enclosure.url, quote=True)
            mime = html.escape(mime_type, quote=True)
            block += nodes.raw(
                "",
                f'<{kind} controls preload="none" class="feed-player">'
                f'<source src="{url}" type="{mime}"></{kind}>',
                format="html",
            )
        block += download_line(enclosure, entry.duration, kind, html_output)
        found.append(block)
    return found


def download_line(
    enclosure: Enclosure, duration: str, kind: str, html_output: bool
) -> nodes.paragraph:
    """ "Audio (MP3, 52.4 MB, 1:54:09): <link>", the link's text the URL where it cannot hide."""
    details = [_format_name(media_type(enclosure)), _size(enclosure.length), duration]
    label = _("Audio") if kind == "audio" else _("Video")
    line = nodes.paragraph(classes=["feed-download"], translatable=False)
    line += nodes.Text(f"{label} ({', '.join(part for part in details if part)}): ")
    text = _("Download") if html_output else enclosure.url
    line += nodes.reference("", text, refuri=enclosure.url, classes=["feed-download-link"])
    return line


def _format_name(mime: str) -> str:
    subtype = mime.split("/", 1)[-1].split(";", 1)[0].strip().lower()
    subtype = {"mpeg": "mp3", "x-m4a": "m4a", "mp4a-latm": "m4a", "quicktime": "mov"}.get(
        subtype, subtype.removeprefix("x-")
    )
    return subtype.upper() if subtype else mime


def _size(length: int | None) -> str:
    if not length:
        return ""
    size, unit = float(length), 0
    while size >= 1000 and unit < len(_UNITS) - 1:
        size, unit = size / 1000, unit + 1
    return f"{size:.0f} {_UNITS[unit]}" if unit == 0 else f"{size:.1f} {_UNITS[unit]}"


def title_and_text(entry: Entry, options: dict[str, Any]) -> tuple[str, str]:
    """The title line and the text under it; an untitled item's words shown once."""
    text = entry.summary_text
    if entry.title:
        return entry.title, text
    summary = "none" if options["layout"] == "compact" else options["summary"]
    needs_title = summary == "none" or (options["layout"] == "cards" and summary == "text")
    if not needs_title or not text:
        return "", text
    return first_sentence(text)


def first_sentence(text: str) -> tuple[str, str]:
    """*text*'s first sentence (or block, at most :data:`UNTITLED_LENGTH`) and the rest."""
    cut = len(text)
    if (block := text.find(BLOCK_SEPARATOR)) >= 0:
        cut = block
    if (end := _SENTENCE_END.search(text, 0, cut)) is not None:
        cut = end.end()
    if cut > UNTITLED_LENGTH:
        title = shorten(text[:cut], UNTITLED_LENGTH)
        kept = len(title.removesuffix("…").rstrip())
        return title, text[kept:].lstrip(" ,;:")
    rest = text[cut:].strip()
    return text[:cut].strip(), rest.removeprefix(BLOCK_SEPARATOR.strip()).strip()


def item_link(entry: Entry, options: dict[str, Any]) -> str | None:
    """The item's link: a feed file's relative one resolved against ``:base:`` when the
    author gives it (the author's word over the address the feed states for itself)."""
    if entry.raw_link and options.get("base"):
        return safe_url(entry.raw_link, options["base"]) or entry.link
    return entry.link


def report_unresolved(key: str, feed: Feed | None, options: dict[str, Any], location: Any) -> None:
    """One ``feed.parse`` warning when the feed file's relative item links are lost."""
    count = feed.unresolved_links if feed is not None else 0
    if not count or options.get("base") or options.get("on_error") == "ignore":
        return
    logger.warning(
        __("feed %s: %d item link(s) are relative and the feed file states no address of its "
           "own (atom:link rel=\"self\"): give the address it is published at with :base: URL"),
        key, count, type="feed", subtype="parse", location=location,
    )  # fmt: skip


def drop_copy_of(body: list[_Node], url: str | None) -> list[_Node]:
    """*body* without the picture that is already the thumbnail (the first one at *url*)."""
    if not url:
        return body
    for top in body:
        if not isinstance(top, nodes.Element):
            continue
        for image in top.findall(nodes.image):
            candidates: dict[str, str] = image.get("candidates") or {}
            if url in (image.get("uri"), candidates.get("?")):
                gone = _outermost(image)
                if gone.parent is not None:
                    gone.parent.remove(gone)
                return [node for node in body if node is not gone]
    return body


def _outermost(image: nodes.Element) -> nodes.Element:
    """The image, or the figure or link that holds nothing else."""
    node = image
    while isinstance(node.parent, nodes.figure | nodes.reference) and (
        isinstance(node.parent, nodes.figure) or len(node.parent) == 1
    ):
        node = node.parent
    return node


def shows_as_picture(url: str | None) -> bool:
    """A thumbnail URL a page can show as a picture (a video file would be a bare video)."""
    return bool(url) and not is_video_file(urlsplit(url or "").path)
