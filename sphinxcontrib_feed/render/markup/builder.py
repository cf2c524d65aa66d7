"""The HTML parser that builds the node tree, one tag at a time, in linear time.

Every look-up walks at most :data:`.stack.MAX_FRAMES` open elements, and only
the first :data:`MAX_ELEMENTS` tags are handled at all, so the cost of a
summary is linear in its size whatever its nesting.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from docutils import nodes

from sphinxcontrib_feed.render.markup import figures, tables
from sphinxcontrib_feed.render.markup.stack import CLOSES, LISTS, MAX_FRAMES, NodeStack
from sphinxcontrib_feed.render.markup.tree import LineBreak, make

_INLINE = {
    "em": nodes.emphasis, "i": nodes.emphasis, "cite": nodes.emphasis, "var": nodes.emphasis,
    "strong": nodes.strong, "b": nodes.strong, "code": nodes.literal, "kbd": nodes.literal,
    "samp": nodes.literal, "sub": nodes.subscript, "sup": nodes.superscript,
}  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_BLOCKS = _HEADINGS | _TABLE_PARTS | {
    "p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "div", "figure", "figcaption",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\n\r\f]+")
_BLOCK_NODES: dict[str, tuple[type[nodes.Element], dict[str, str]]] = {
    "p": (nodes.paragraph, {}), "dl": (nodes.definition_list, {}),
    "pre": (nodes.literal_block, {"language": "none"}), "blockquote": (nodes.block_quote, {}),
    "ul": (nodes.bullet_list, {"bullet": "*"}),
    "ol": (nodes.enumerated_list, {"enumtype": "arabic", "prefix": "", "suffix": "."}),
    "figcaption": (figures.CaptionDraft, {}),
}  # fmt: skip
_VOID = frozenset({"br", "hr", "img", "wbr"})
#: Deeper elements keep only their text: docutils and its writers recurse per level.
MAX_DEPTH = 24
#: Tags (start and end) read per summary; past this, tags are ignored and parsing soon stops.
MAX_ELEMENTS = 10_000


class TreeBuilder(NodeStack, HTMLParser):
    """Builds the node tree of one fragment; see the package docstring for the rules."""

    def __init__(self, *, images: bool) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        NodeStack.__init__(self)
        self.images = images
        self.ignored = 0  # open tags past the limits, so their end tags close nothing
        self.budget = MAX_ELEMENTS

    # --- parser events -----------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.budget < 0:  # past the limit: the rest of the chunk being read is cut too
            return
        if isinstance(self.node(), nodes.literal_block):
            self.node().append(nodes.Text(data))
            return
        text = _SPACES.sub(" ", data)
        if self.space:
            text = text.lstrip(" ")
        if text:
            self.ensure_inline().append(nodes.Text(text))
            self.space = text.endswith(" ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.budget -= 1
        if self.ignored or self.budget < 0 or len(self.stack) >= MAX_FRAMES:
            if tag in _BLOCKS or tag == "br":
                self.soft_space()
            if tag not in _VOID:
                self.ignored += 1
            return
        if tag not in _VOID and len(self.open) > MAX_DEPTH:
            if tag in _BLOCKS:  # too deep for docutils' recursive walks: keep the content only
                self.soft_space()
            self.stack.append((tag, None))
        elif isinstance(self.node(), nodes.literal_block):
            if tag == "br":
                self.handle_data("\n")
        elif tag in _INLINE:
            if not (tag in {"code", "kbd", "samp"} and self.find(nodes.literal, (nodes.Inline,))):
                self.ensure_inline()
                self.push(tag, make(_INLINE[tag]))
        elif tag == "a":
            href = dict(attrs).get("href")
            if href and self.find(nodes.reference, (nodes.Inline,)) is None:
                self.ensure_inline()
                self.push(tag, make(nodes.reference, refuri=href))
        elif tag == "img":
            self.image(dict(attrs))
        elif tag == "br":
            if isinstance(self.node(), nodes.paragraph) and not self.flats and not self.cells:
                self.node().append(LineBreak())
                self.space = True
            else:
                self.soft_space()
        elif self.flats and tag in CLOSES[self.stack[self.flats[0]][0]]:
            self.pop_to(self.flats[0])
            self.budget += 1  # the same tag, handled again
            self.handle_starttag(tag, attrs)
        elif self.flats and (tag in _BLOCKS or tag == "hr"):
            self.soft_space()
            if tag != "hr":
                self.stack.append((tag, None))
        elif tag == "hr":
            self.ensure_body()
        elif tag in _TABLE_PARTS:
            self.table_part(tag, dict(attrs))
        elif tag in _BLOCKS:
            self.block(tag)

    def handle_endtag(self, tag: str) -> None:
        self.budget -= 1
        if tag in _VOID:
            return
        if self.ignored:
            self.ignored -= 1
            if tag in _BLOCKS:
                self.soft_space()
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                self.pop_to(index)
                if tag in _BLOCKS:
                    self.soft_space()  # in a flattened block: a space; elsewhere a no-op
                    self.space = True
                return

    # --- elements ----------------------------------------------------------------------

    def image(self, attrs: dict[str, str | None]) -> None:
        source, alt = attrs.get("src"), attrs.get("alt") or ""
        if not source:
            return
        if self.images:
            self.ensure_inline().append(figures.image_node(source, alt))
            self.space = False
            return
        figure = self.find(figures.FigureDraft, (nodes.Element,))
        if figure is not None:
            draft = self.stack[figure][1]
            assert isinstance(draft, figures.FigureDraft)
            draft.alt = draft.alt or alt
        elif text := figures.alt_text(alt):
            self.soft_space()
            self.handle_data(text)

    def block(self, tag: str) -> None:
        if tag == "li":
            index = self.find(LISTS, (nodes.TextElement, nodes.list_item))
            if index is None:
                self.ensure_body()
                self.push("", nodes.bullet_list(bullet="*"))
            else:
                self.pop_to(index + 1)
            self.push(tag, nodes.list_item())
        elif tag in {"dt", "dd"}:
            through = (nodes.TextElement, nodes.definition_list_item, nodes.definition)
            index = self.find(nodes.definition_list, through)
            if index is None:
                self.ensure_body()
                self.push("", nodes.definition_list())
            else:
                self.pop_to(index + 1)
            if tag == "dt":  # terms before any definition share their item
                last = self.node().children[-1] if self.node().children else None
                if isinstance(last, nodes.Element) and last and isinstance(last[-1], nodes.term):
                    self.push("", last, new=False)
                else:
                    self.push("", nodes.definition_list_item())
                self.push(tag, make(nodes.term))
            else:
                self.ensure_body()
                self.stack[-1] = (tag, self.stack[-1][1])
        else:
            self.ensure_body()
            if tag == "div":
                self.stack.append((tag, None))
            elif tag == "figure":
                self.push(tag, figures.FigureDraft())
            else:
                cls, attributes = _BLOCK_NODES.get(tag, (nodes.rubric, {}))
                self.push(tag, make(cls, **attributes))
        self.space = True

    def table_part(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "table":
            self.ensure_body()
            draft = self.push(tag, tables.TableDraft())
            assert isinstance(draft, tables.TableDraft)
            draft.nested = bool(self.cells)
        elif tag in {"thead", "tbody", "tfoot"}:
            table = self.find(tables.TableDraft, (nodes.Element,))
            if table is not None:
                self.pop_to(table + 1)
                self.stack.append((tag, None))
        elif tag == "tr":
            self.row(tag)
        else:
            self.cell(tag, attrs)
        self.space = True

    def row(self, tag: str) -> None:
        table = self.find(tables.TableDraft, (nodes.Element,))
        if table is None:
            self.ensure_body()
            self.push("", tables.TableDraft())
            table = len(self.stack) - 1
        part = next((t for t, n in self.stack[table + 1 :] if t in {"thead", "tfoot"}), "tbody")
        self.pop_to(table + 1)
        if part != "tbody":
            self.stack.append((part, None))  # popping closed it; the row is still inside
        row = self.push(tag, tables.RowDraft())
        assert isinstance(row, tables.RowDraft)
        row.part = part

    def cell(self, tag: str, attrs: dict[str, str | None]) -> None:
        index = self.find((tables.RowDraft, tables.TableDraft), (nodes.Element,))
        if index is None or isinstance(self.stack[index][1], tables.TableDraft):
            self.row("")
        else:
            self.pop_to(index + 1)
        cell = self.push(tag, tables.CellDraft())
        assert isinstance(cell, tables.CellDraft)
        cell.header = tag == "th"
        cell.colspan = tables.span(attrs.get("colspan"))
        cell.rowspan = tables.span(attrs.get("rowspan"))
        self.space = True

    def finish(self, *, complete: bool = True) -> nodes.Element:
        if complete:  # else the unread rest (maybe half a tag) must not become text
            self.close()
        self.pop_to(1)
        return self.root
