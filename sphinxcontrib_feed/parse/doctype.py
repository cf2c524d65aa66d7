"""What a document's DOCTYPE declares, for a warning: its entities are never expanded.

:mod:`.xmlsafe` never uses an entity the document declares itself (a
``&lol9;`` could grow into gigabytes); the reference is shown as written,
safely but oddly. Since that text surprises whoever reads the page, a feed
that uses an entity its DOCTYPE declares gets a ``feed.parse`` warning
(:attr:`.model.Feed.warnings`) naming it, so that ``-W`` builds notice.
Entities HTML knows by name (``&nbsp;``, which old feeds declare) are not
named: they are shown as HTML's character, as feedparser and browsers show
them; nor are declarations the text never refers to (parameter entities
such as ``%HTMLlat1;`` are used only inside the DTD).
"""

from __future__ import annotations

from html.entities import html5
from typing import Any

#: How many entity names one warning lists.
_NAMED = 5
#: How many declared names are looked for in the text (each is one search).
_LOOKED_FOR = 50
_USED = "boolean(//text()[contains(., $reference)] | //@*[contains(., $reference)])"


def entities_shown_as_written(root: Any) -> tuple[str, ...]:
    """The entities *root*'s DOCTYPE declares that its text shows as written (``&lol;``)."""
    try:
        dtd = root.getroottree().docinfo.internalDTD
    except (AttributeError, ValueError):
        return ()
    if dtd is None:
        return ()
    names = (entity.name for entity in dtd.iterentities())
    declared = dict.fromkeys(name for name in names if name and f"{name};" not in html5)
    return tuple(
        name for name in list(declared)[:_LOOKED_FOR] if root.xpath(_USED, reference=f"&{name};")
    )


def entity_warning(names: tuple[str, ...]) -> str | None:
    """The warning for a document whose DOCTYPE declares the entities *names*, or None."""
    if not names:
        return None
    listed = ", ".join(f"&{name};" for name in names[:_NAMED])
    if len(names) > _NAMED:
        listed += f" and {len(names) - _NAMED} more"
    return (
        f"the feed's DOCTYPE declares entities its text uses ({listed}); entities are "
        "not expanded, so the text shows them as written"
    )
