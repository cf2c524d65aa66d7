"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), mapped onto the model.

Relative URLs resolve as in RSS and Atom (see :mod:`.parse`): an item's
``url`` against the feed's ``home_page_url``, else the feed's address; item
content (HTML, images, attachments) against the item's ``url``, else
``home_page_url``, else the feed's address. Being read from a file or a URL
makes no difference, since a ``file:`` address is never a base.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sphinxcontrib_feed.finish.sanitize import one_line, plain_text, safe_url, web_base
from sphinxcontrib_feed.model import Enclosure, Entry, Feed, FeedParseError, distinct, map_items
from sphinxcontrib_feed.model import plausible_date as _plausible
from sphinxcontrib_feed.parse.jsondepth import cap_json_depth
from sphinxcontrib_feed.parse.limits import (
    MAX_AUTHORS,
    MAX_CATEGORIES,
    MAX_DEPTH,
    MAX_ENCLOSURES,
    within_budget,
)
from sphinxcontrib_feed.parse.media import item_language, language

#: What a JSON Feed's ``version`` starts with: the spec's ``https://jsonfeed.org/version/``,
#: and the ``http://`` and ``www.`` spellings generators write too. A bare number ("1.0")
#: is not taken: other JSON documents (API answers) have a version and a list of items too.
_VERSION = re.compile(r"\s*https?://(?:www\.)?jsonfeed\.org/version/", re.IGNORECASE)


def parse_json_feed(content: bytes, url: str) -> Feed:
    document = _decode(content)
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not _VERSION.match(version):
        raise FeedParseError("not a JSON Feed: no https://jsonfeed.org/version/… version field")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("invalid JSON Feed: 'items' is not a list")
    address = web_base(url, None)
    site = safe_url(_text(document.get("home_page_url")), address)
    feed_author = _author_names(document)
    feed_language = language(document.get("language"))

    def entry(item: Any) -> Entry:
        if not isinstance(item, dict):
            raise TypeError(f"an item is not an object but {type(item).__name__}")
        link_base = site or address
        link = safe_url(_text(item.get("url")), link_base) or safe_url(
            _text(item.get("external_url")), link_base
        )
        base = link or link_base
        if content_html := _text(item.get("content_html")):
            raw, raw_type = content_html, "html"
        else:
            raw, raw_type = _text(item.get("content_text")) or _text(item.get("summary")), "text"
        return Entry(
            title=plain_text(_text(item.get("title"))),
            link=link,
            id=one_line(_text(item.get("id"))) or link,
            date=_date(item.get("date_published")) or _date(item.get("date_modified")),
            summary_text=one_line(_text(item.get("summary"))),
            author=_author_names(item) or feed_author,
            categories=_categories(item),
            image=safe_url(_text(item.get("image")), base)
            or safe_url(_text(item.get("banner_image")), base),
            raw_summary=raw,
            raw_type=raw_type,
            summary_base=base,
            enclosures=_attachments(item, base),
            language=item_language({"title_detail": {"language": item.get("language")}},
                                   feed_language),
        )  # fmt: skip

    entries, notes = map_items(within_budget(items), entry)
    return Feed(
        title=plain_text(_text(document.get("title"))),
        link=site,
        entries=entries,
        notes=notes,
        language=feed_language,
    )


def _decode(content: bytes) -> Any:
    """The JSON document, with anything nested deeper than :data:`.MAX_DEPTH` as ``null``.

    The limit is the extension's own (:mod:`.jsondepth`), not the decoder's
    recursion limit, so it is the same number on every Python.
    """
    text, cut = cap_json_depth(content.decode("utf-8-sig", "replace"), MAX_DEPTH)
    try:
        document = json.loads(text)
    except ValueError as error:  # JSONDecodeError; a number of more than 4,300 digits
        raise FeedParseError(f"invalid JSON Feed: {error}") from None
    if cut and not (isinstance(document, dict) and "version" in document):
        raise FeedParseError(
            f"invalid JSON Feed: arrays or objects nested too deeply (over {MAX_DEPTH} levels)"
        )
    return document


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return _plausible(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _author_names(container: dict[str, Any]) -> str:
    authors = container.get("authors")
    if not isinstance(authors, list):
        authors = [container.get("author")]
    names = (plain_text(_text(a.get("name"))) for a in authors[:MAX_AUTHORS] if isinstance(a, dict))
    return ", ".join(distinct((name for name in names if name), MAX_AUTHORS))


def _categories(item: dict[str, Any]) -> tuple[str, ...]:
    """The item's first :data:`.MAX_CATEGORIES` tags, each once."""
    tags = _list(item.get("tags"))[:MAX_CATEGORIES]
    return distinct((tag for t in tags if (tag := plain_text(_text(t)))), MAX_CATEGORIES)


def _attachments(item: dict[str, Any], base: str | None) -> tuple[Enclosure, ...]:
    """The item's first :data:`.MAX_ENCLOSURES` attachments, one per URL."""
    attachments = _list(item.get("attachments"))[:MAX_ENCLOSURES]
    found = (
        Enclosure(url=url, type=one_line(_text(attachment.get("mime_type"))))
        for attachment in attachments
        if isinstance(attachment, dict) and (url := safe_url(_text(attachment.get("url")), base))
    )
    return distinct(found, MAX_ENCLOSURES, key=_url_of)


def _url_of(enclosure: Enclosure) -> str:
    return enclosure.url
