"""One feed item as generic docutils nodes: thumbnail, heading, summary, categories.

Split from :mod:`.transform` (which handles the directive as a whole) so each
stays small. Everything here is a stock docutils node, or
:class:`.feed_date` (an ``inline``), so every builder can write it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import babel.dates
from babel.core import UnknownLocaleError
from docutils import nodes
from sphinx.util.i18n import format_date

from sphinxcontrib_feed.finish.sanitize import shorten
from sphinxcontrib_feed.locale import _
from sphinxcontrib_feed.reading.nodes import feed_date
from sphinxcontrib_feed.render import media
from sphinxcontrib_feed.render.direction import mark_direction
from sphinxcontrib_feed.render.markup.convert import html_to_nodes, truncate_nodes

if TYPE_CHECKING:
    from datetime import datetime

    from sphinxcontrib_feed.model import Entry

NEW_TAB_REL = "noopener noreferrer"
#: Hex digits of an item's id: 40 bits, so two items of one page practically never collide
#: (and when they do, the second one gets a suffix).
ITEM_ID_DIGITS = 10


@dataclass(frozen=True, slots=True)
class Context:
    """What rendering needs to know about the build and the page."""

    language: str
    #: Remote images only where the builder links them (HTML); elsewhere
    #: Sphinx would download them, which a docs build must not do behind our back.
    images: bool
    #: The builder's output format (``html``, ``latex``, ``man``...).
    format: str = "html"
    #: ``html_baseurl`` with a trailing slash: images under it are this site's own.
    site_url: str = ""
    #: From the page being written to the output's root ("", "../", ...).
    to_root: str = ""
    #: Element ids already taken on the page, shared by every feed on it.
    taken_ids: set[str] = field(default_factory=set)


def render_entry(entry: Entry, options: dict[str, Any], context: Context) -> nodes.list_item:
    item = nodes.list_item("", classes=["feed-item"], ids=[item_id(entry, context.taken_ids)])
    if entry.language:
        item["feed_lang"] = entry.language
    title, text = media.title_and_text(entry, options)
    url = media.item_link(entry, options)
    image = entry.image if media.shows_as_picture(entry.image) else None
    if options["images"] and context.images and image:
        item += thumbnail(image, context)
    heading = nodes.paragraph(classes=["feed-heading"], translatable=False)
    if title or not entry.summary_text:
        heading += link(title or _("Untitled"), url, options, classes=["feed-title"])
    if entry.date is not None and options["date_format"] != "none":
        date: nodes.Element = feed_date(
            "",
            format_entry_date(entry.date, date_format(options), context.language),
            datetime=iso(entry.date),
            classes=["feed-date"],
        )
        if len(heading):
            heading += separator()
        elif url:  # an untitled item: its date is the link to it
            date = nodes.reference("", "", date, refuri=url, classes=["feed-title"],
                                   **link_attributes(options))  # fmt: skip
        heading += date
    if options["author"] and entry.author:
        if len(heading):
            heading += separator()
        heading += nodes.inline("", entry.author, classes=["feed-author"])
    if not len(heading) and url:
        heading += link(_("Permalink"), url, options, classes=["feed-title"])
    if len(heading):
        item += mark_direction(heading)
    length = options["summary_length"]
    summary = "none" if options["layout"] == "compact" else options["summary"]  # one line each
    if summary == "text" and text:
        item += mark_direction(nodes.paragraph(
            "", shorten(text, length), classes=["feed-summary"], translatable=False
        ))  # fmt: skip
    elif summary == "rich" and entry.summary_html:
        body = truncate_nodes(html_to_nodes(entry.summary_html, images=context.images), length)
        if options["images"] and context.images:
            body = media.drop_copy_of(body, image)
        if body:
            rich = nodes.container("", *body, classes=["feed-summary"])
            for block in rich.children:  # each block its own direction, as a reader shows it
                if isinstance(block, nodes.paragraph):
                    mark_direction(block)
            for reference in rich.findall(nodes.reference):
                reference.attributes.update(link_attributes(options))
            # the man writer starts no new paragraph for the first one of a container:
            # the summary would run on from the title line
            item += rich.children if context.format == "man" else rich
    item.extend(media.media_nodes(entry, options, html_output=context.format == "html"))
    if options["categories"] and entry.categories:
        tags = nodes.paragraph(classes=["feed-categories"], translatable=False)
        for index, category in enumerate(entry.categories):
            if index:
                tags += nodes.inline("", ", ", classes=["feed-sep"])
            tags += nodes.inline("", category, classes=["feed-category"])
        item += tags
    return item


def item_id(entry: Entry, taken: set[str]) -> str:
    """``feed-item-<hex>``: from the entry's id (else link, else title), the same in every
    build; a suffix keeps it unique when a page shows the same item twice."""
    identity = entry.id or entry.link or entry.title or entry.summary_text
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    base = f"feed-item-{digest[:ITEM_ID_DIGITS]}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def thumbnail(url: str, context: Context) -> nodes.image:
    """The item's image beside its title: decorative (the title says what it is), so
    ``alt=""``; never stretched, never wider than its natural size (see the stylesheet)."""
    # candidates "?" is how Sphinx marks a remote image it must leave alone
    return nodes.image(
        uri=own_site_relative(url, context), alt="", candidates={"?": url},
        classes=["feed-image"], loading="lazy",
    )  # fmt: skip


def own_site_relative(url: str, context: Context) -> str:
    """A URL under ``html_baseurl`` (this documentation's own site) relative to the page,
    so it works in a local or offline copy of the built docs as well as online."""
    if context.site_url and url.startswith(context.site_url):
        rest = url[len(context.site_url) :]
        if rest and not rest.startswith(("/", "?", "#")):
            return context.to_root + rest
    return url


def link_attributes(options: dict[str, Any]) -> dict[str, str]:
    """``target``/``rel`` of every link into the feed's content (titles, links inside
    summaries, the caption and "More on"): the ``:rel:`` tokens, and for new-tab links
    ``noopener noreferrer``."""
    tokens = str(options.get("rel") or "").split()
    attributes: dict[str, str] = {}
    if options["new_tab"]:
        attributes["target"] = "_blank"
        tokens += NEW_TAB_REL.split()
    if tokens:
        attributes["rel"] = " ".join(dict.fromkeys(tokens))
    return attributes


def link(text: str, url: str | None, options: dict[str, Any], classes: list[str]) -> nodes.Element:
    if not url:
        return nodes.inline("", text, classes=classes)
    attributes = link_attributes(options)
    return nodes.reference("", text, refuri=url, classes=classes, **attributes)


def separator() -> nodes.inline:
    """ " — " between heading fields; shown by text builders, hidden by the stylesheet."""
    return nodes.inline("", " — ", classes=["feed-sep"])


def date_format(options: dict[str, Any]) -> str | None:
    value = options["date_format"]
    return None if value in (None, "", "none") else str(value)


def format_entry_date(date: datetime, date_format: str | None, language: str) -> str:
    """*date* in *language*: strftime-style *date_format*, or the locale's medium date."""
    if date_format:
        return format_date(date_format, date=date, language=language)
    try:
        return babel.dates.format_date(date, format="medium", locale=language)
    except (ValueError, UnknownLocaleError):
        return babel.dates.format_date(date, format="medium", locale="en")


def iso(date: datetime) -> str:
    return date.replace(microsecond=0).isoformat().replace("+00:00", "Z")
