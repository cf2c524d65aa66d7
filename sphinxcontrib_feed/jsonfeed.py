"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), mapped onto the model."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from sphinxcontrib_feed.model import EARLIEST_PLAUSIBLE_YEAR, Enclosure, Entry, Feed, FeedParseError
from sphinxcontrib_feed.sanitize import (
    clean_html,
    first_image_in,
    plain_text,
    safe_url,
    web_base,
)

_JSON_TYPES = ("application/feed+json", "application/json")


def looks_like_json_feed(content: bytes, content_type: str) -> bool:
    """True for a JSON Feed by content type, or by content for mislabelled servers."""
    if content_type.split(";")[0].strip().lower() in _JSON_TYPES:
        return True
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in content[:4096]


def parse_json_feed(content: bytes, url: str) -> Feed:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedParseError(f"invalid JSON Feed: {error}") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedParseError("not a JSON Feed: no https://jsonfeed.org/version/… version field")
    base = web_base(url, None) or safe_url(_text(document.get("home_page_url")))
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("invalid JSON Feed: 'items' is not a list")

    def date(value: Any) -> datetime | None:
        if not isinstance(value, str):
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
        return parsed if parsed.year >= EARLIEST_PLAUSIBLE_YEAR else None

    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = safe_url(_text(item.get("url")), base) or safe_url(
            _text(item.get("external_url")), url
        )
        if content_html := _text(item.get("content_html")) or _text(item.get("summary")):
            summary = clean_html(content_html, link or base)
        else:
            summary = html.escape(_text(item.get("content_text")))
        entries.append(
            Entry(
                title=plain_text(_text(item.get("title"))),
                link=link,
                id=_text(item.get("id")) or link,
                date=date(item.get("date_published")) or date(item.get("date_modified")),
                summary_html=summary,
                author=_author_names(item) or _author_names(document),
                categories=tuple(plain_text(t) for t in item.get("tags") or () if _text(t)),
                image=safe_url(_text(item.get("image")), base)
                or safe_url(_text(item.get("banner_image")), base)
                or first_image_in(summary),
                enclosures=tuple(
                    Enclosure(url=u, type=_text(a.get("mime_type")))
                    for a in item.get("attachments") or ()
                    if isinstance(a, dict) and (u := safe_url(_text(a.get("url")), base))
                ),
            )
        )
    return Feed(
        title=plain_text(_text(document.get("title"))),
        link=safe_url(_text(document.get("home_page_url")), base),
        entries=tuple(entries),
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _author_names(container: dict[str, Any]) -> str:
    authors = container.get("authors")
    if not isinstance(authors, list):
        authors = [container.get("author")]
    names = [plain_text(_text(a.get("name"))) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name)
