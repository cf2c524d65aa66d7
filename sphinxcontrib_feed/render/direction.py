"""Text direction and language in HTML: ``dir="auto"`` and ``lang`` where the feed's text is.

Items mark the nodes holding a feed's words (titles, summary blocks) with
``feed_dir="auto"``, and the feed's container (or an item in another
language) with ``feed_lang``; :func:`honour_direction` makes the HTML
translator write them as ``dir`` and ``lang``. With ``dir="auto"`` the
browser takes each block's direction from its first strong character, so an
Arabic title lays out right to left in an English page, and the reverse.
Other builders ignore both attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Node attribute -> HTML attribute.
_ATTRIBUTES = {"feed_dir": "dir", "feed_lang": "lang"}


class DirectionMixin:
    """Writes a node's ``feed_dir``/``feed_lang`` as ``dir``/``lang`` on its start tag."""

    def starttag(self, node: Any, tagname: str, suffix: str = "\n", empty: bool = False,
                 **attributes: Any) -> str:  # fmt: skip
        if isinstance(node, nodes.Element):
            for source, name in _ATTRIBUTES.items():
                if (value := node.get(source)) and name not in attributes:
                    attributes[name] = value
        return super().starttag(node, tagname, suffix, empty, **attributes)  # type: ignore[misc,no-any-return]


def honour_direction(app: Sphinx) -> None:
    """``builder-inited``: an HTML builder's translator, with :class:`DirectionMixin`."""
    builder = app.builder
    if builder.format != "html":
        return
    base = builder.get_translator_class()
    if base is None or issubclass(base, DirectionMixin):
        return
    translator = type(f"Feed{base.__name__}", (DirectionMixin, base), {})
    app.set_translator(builder.name, translator, override=True)


def mark_direction(node: nodes.Element) -> nodes.Element:
    """*node* with ``dir="auto"`` in HTML."""
    node["feed_dir"] = "auto"
    return node
