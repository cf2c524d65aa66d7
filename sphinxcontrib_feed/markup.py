"""Turn a sanitized HTML fragment into generic docutils body nodes ("rich" summaries).

The input is the output of :func:`.sanitize.clean_html`: only allow-listed tags,
every URL already absolute and safe. Only stock docutils nodes come out, never
``raw``, so every builder (HTML, LaTeX, text, man, texinfo, ePub) can write them.

Choices worth knowing:

* Headings become ``rubric`` nodes, never sections: no toctree entries, no anchors.
* ``<br>`` directly inside a paragraph splits it into lines: a paragraph with
  breaks becomes a ``line_block`` (one ``line`` per break-separated run) and a
  double break starts a new paragraph, which renders as real line breaks in
  HTML, LaTeX and text alike. Anywhere else (inside inline markup, headings,
  table cells) a break is a plain space.
* Tables become one paragraph per row, cells joined by " · ", header cells strong.
* ``dl`` becomes a ``definition_list``; every item gets a term and a definition.
* Images and ``hr`` are dropped (``hr`` still ends the paragraph); elements with
  no docutils counterpart (``span``, ``del``, ``q``, ...) keep only their content.
* Whitespace collapses as in HTML, except inside ``pre``: a ``literal_block`` with
  ``language="none"`` (the sanitizer drops ``class``, so the language is unknown and
  Sphinx must not guess it as Python).
* Every text element is ``translatable=False``: feed text never enters catalogs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from docutils import nodes

_INLINE = {
    "em": nodes.emphasis, "i": nodes.emphasis, "cite": nodes.emphasis, "var": nodes.emphasis,
    "strong": nodes.strong, "b": nodes.strong, "code": nodes.literal, "kbd": nodes.literal,
    "samp": nodes.literal, "sub": nodes.subscript, "sup": nodes.superscript,
}  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_GROUPS = frozenset({"div", "figure", "figcaption", "table", "thead", "tbody", "tfoot"})
_BLOCKS = _HEADINGS | _GROUPS | {"p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "tr"}
_FLAT = _HEADINGS | {"tr", "dt"}  # text containers whose nested blocks are flattened
_CLOSES = dict.fromkeys(_HEADINGS, _HEADINGS) | {
    "tr": frozenset({"tr", "thead", "tbody", "tfoot"}),
    "dt": frozenset({"dt", "dd"}),
}
_LISTS = (nodes.bullet_list, nodes.enumerated_list)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_TRAILING = " \n,;:.-–—"
_BLOCK_NODES: dict[str, tuple[type[nodes.Element], dict[str, str]]] = {
    "p": (nodes.paragraph, {}), "tr": (nodes.paragraph, {}), "dl": (nodes.definition_list, {}),
    "pre": (nodes.literal_block, {"language": "none"}), "blockquote": (nodes.block_quote, {}),
    "ul": (nodes.bullet_list, {"bullet": "*"}),
    "ol": (nodes.enumerated_list, {"enumtype": "arabic", "prefix": "", "suffix": "."}),
}  # fmt: skip
_VOID = frozenset({"br", "hr", "img"})
CELL_SEPARATOR = " · "
#: Deeper elements keep only their text: docutils and its writers recurse per level.
MAX_DEPTH = 24


class _Break(nodes.Element):
    """Where a ``<br>`` was, inside a paragraph still being built; never leaves this module."""


def _make(cls: type[nodes.Element], **attributes: str) -> nodes.Element:
    node = cls("", **attributes)
    if isinstance(node, nodes.TextElement):
        node["translatable"] = False
    return node


def _index(parent: nodes.Element, child: nodes.Node) -> int:
    # by identity (Text nodes are strings, equal by value), from the end where new nodes are
    children = parent.children
    return next(i for i in range(len(children) - 1, -1, -1) if children[i] is child)


def _strip_ends(node: nodes.Element) -> None:
    """Trim the whitespace at both ends of *node*'s text, dropping what empties."""
    for last in (False, True):
        while texts := list(node.findall(nodes.Text)):
            text = texts[-1] if last else texts[0]
            value = text.rstrip(" \n") if last else text.lstrip(" \n")
            if value == text:
                break
            parent = text.parent
            assert parent is not None
            if value:
                parent[_index(parent, text)] = nodes.Text(value)
                break
            del parent[_index(parent, text)]
            while parent is not node and not parent.astext() and parent.parent is not None:
                grandparent = parent.parent
                del grandparent[_index(grandparent, parent)]
                parent = grandparent


def _split_breaks(paragraph: nodes.Element) -> list[nodes.Element]:
    """A paragraph with breaks as paragraphs (single lines) and line blocks."""
    lines: list[list[nodes.Node]] = [[]]
    for child in paragraph.children:
        if isinstance(child, _Break):
            lines.append([])
        else:
            lines[-1].append(child)
    blocks: list[list[nodes.Element]] = [[]]
    for children in lines:
        line = _make(nodes.line)
        line.extend(children)
        _strip_ends(line)
        if line.astext():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    result = []
    for block in filter(None, blocks):
        if len(block) == 1:
            result.append(_make(nodes.paragraph))
            result[-1].extend(block[0].children)
        else:
            result.append(nodes.line_block("", *block))
    return result


def _finish(node: nodes.Element) -> None:
    """Tidy a node once its content is complete; remove it if nothing is left."""
    parent = node.parent
    assert parent is not None
    if isinstance(node, nodes.literal_block):
        text = node.astext()
        node[:] = [nodes.Text(text.lstrip("\n").rstrip())]
    elif isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
        _strip_ends(node)
    elif isinstance(node, nodes.definition_list):
        for item in node.children:
            if not isinstance(item, nodes.Element):
                continue
            if not item.children or not isinstance(item[0], nodes.term):
                item.insert(0, _make(nodes.term))
            if not isinstance(item[-1], nodes.definition):  # a definition needs a body element
                item += nodes.definition("", _make(nodes.paragraph))
    text = node.astext()
    if not (text if isinstance(node, nodes.Inline) else text.strip()):
        del parent[_index(parent, node)]
    elif isinstance(node, nodes.paragraph) and any(isinstance(c, _Break) for c in node.children):
        parent[_index(parent, node) : _index(parent, node) + 1] = _split_breaks(node)


class _Builder(HTMLParser):
    """Builds the node tree with a stack of (tag, node) frames; node None is a mere group."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = nodes.container()
        self.stack: list[tuple[str, nodes.Element | None]] = [("", self.root)]
        self.space = True  # the text so far ends a block or a space: drop leading spaces
        self.separator: nodes.Text | None = None  # the last cell separator added

    def closes(self, tag: str, flat: int) -> bool:
        """Whether *tag* ends the open row, term or heading (unless in a nested table)."""
        nested = any(t == "table" for t, _ in self.stack[flat:])
        return tag in _CLOSES[self.stack[flat][0]] and not nested

    def node(self) -> nodes.Element:
        return next(node for _, node in reversed(self.stack) if node is not None)

    def flat(self) -> int | None:
        """Index of the outermost open row, term or heading, if any."""
        return next((i for i, (tag, _) in enumerate(self.stack) if tag in _FLAT), None)

    def push(self, tag: str, node: nodes.Element, *, new: bool = True) -> nodes.Element:
        if new:
            self.node().append(node)
        self.stack.append((tag, node))
        return node

    def pop(self) -> None:
        _, node = self.stack.pop()
        if node is not None and node.children and node.children[-1] is self.separator:
            del node[-1]  # a row ending in empty cells
        if node is not None:
            _finish(node)

    def pop_to(self, index: int) -> None:
        while len(self.stack) > max(index, 1):
            self.pop()

    def find(self, wanted: type | tuple[type, ...], through: tuple[type, ...]) -> int | None:
        """Index of the nearest frame holding a *wanted* node, passing only *through* ones."""
        for index in range(len(self.stack) - 1, 0, -1):
            node = self.stack[index][1]
            if isinstance(node, wanted):
                return index
            if node is not None and not isinstance(node, through):
                return None
        return None

    def ensure_body(self) -> nodes.Element:
        """Close inline content; make the current node one that holds body elements."""
        while True:
            node = self.node()
            if isinstance(node, nodes.TextElement):
                self.pop()
            elif isinstance(node, _LISTS):
                self.reenter(node, nodes.list_item)
            elif isinstance(node, nodes.definition_list):
                self.reenter(node, nodes.definition_list_item)
            elif isinstance(node, nodes.definition_list_item):
                self.reenter(node, nodes.definition)
            else:
                self.space = True
                return node

    def reenter(self, parent: nodes.Element, cls: type[nodes.Element]) -> None:
        """Continue the last *cls* child of *parent*, or start one."""
        found = [child for child in parent.children if isinstance(child, cls)]
        if found:
            self.push("", found[-1], new=False)
        else:
            self.push("", cls())

    def ensure_inline(self) -> nodes.Element:
        if not isinstance(self.node(), nodes.TextElement):
            self.ensure_body()
            self.push("", _make(nodes.paragraph))
        return self.node()

    def soft_space(self) -> None:
        if not self.space and isinstance(self.node(), nodes.TextElement):
            self.node().append(nodes.Text(" "))
            self.space = True

    def handle_data(self, data: str) -> None:
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
        if tag not in _VOID and sum(node is not None for _, node in self.stack) > MAX_DEPTH:
            # too deep for docutils' recursive walks: keep the content only
            if tag in _BLOCKS:
                self.soft_space()
            self.stack.append((tag, None))
        elif isinstance(self.node(), nodes.literal_block):
            if tag == "br":
                self.handle_data("\n")
        elif tag in _INLINE:
            if not (tag in {"code", "kbd", "samp"} and self.find(nodes.literal, (nodes.Inline,))):
                self.ensure_inline()
                self.push(tag, _make(_INLINE[tag]))
        elif tag == "a":
            href = dict(attrs).get("href")
            if href and self.find(nodes.reference, (nodes.Inline,)) is None:
                self.ensure_inline()
                self.push(tag, _make(nodes.reference, refuri=href))
        elif tag == "br":
            if isinstance(self.node(), nodes.paragraph) and self.flat() is None:
                self.node().append(_Break())
                self.space = True
            else:
                self.soft_space()
        elif tag in {"td", "th"}:
            self.cell(tag)
        elif (flat := self.flat()) is not None and self.closes(tag, flat):
            self.pop_to(flat)
            self.handle_starttag(tag, attrs)
        elif tag in _BLOCKS | {"hr"} and self.flat() is not None:
            self.soft_space()
            if tag != "hr":
                self.stack.append((tag, None))
        elif tag == "hr":
            self.ensure_body()
        elif tag in _BLOCKS:
            self.block(tag)

    def block(self, tag: str) -> None:
        if tag == "li":
            index = self.find(_LISTS, (nodes.TextElement, nodes.list_item))
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
                if (
                    isinstance(last, nodes.Element)
                    and len(last)
                    and isinstance(last[-1], nodes.term)
                ):
                    self.push("", last, new=False)
                else:
                    self.push("", nodes.definition_list_item())
                self.push(tag, _make(nodes.term))
            else:
                self.ensure_body()
                self.stack[-1] = (tag, self.stack[-1][1])
        else:
            self.ensure_body()
            if tag in _GROUPS:
                self.stack.append((tag, None))
            else:
                cls, attributes = _BLOCK_NODES.get(tag, (nodes.rubric, {}))
                self.push(tag, _make(cls, **attributes))
        self.space = True

    def cell(self, tag: str) -> None:
        rows = [i for i, (t, _) in enumerate(self.stack) if t == "tr"]
        if rows:
            self.pop_to(rows[-1] + 1)
            row = self.node()
            if row.children and row.children[-1] is not self.separator:
                self.separator = nodes.Text(CELL_SEPARATOR[1:] if self.space else CELL_SEPARATOR)
                row.append(self.separator)
                self.space = True
        else:
            self.block("tr")
        if tag == "th":
            self.push(tag, _make(nodes.strong))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                self.pop_to(index)
                if tag in _BLOCKS:
                    self.soft_space()  # in a flattened block: a space; elsewhere a no-op
                    self.space = True
                return

    def finish(self) -> list[nodes.Element]:
        self.close()
        self.pop_to(1)
        return _detach(self.root)


def html_to_nodes(fragment: str) -> list[nodes.Element]:
    """Body-level nodes (paragraphs, lists, block quotes, literal blocks, rubrics)."""
    if not fragment or not fragment.strip():
        return []
    builder = _Builder()
    builder.feed(fragment)
    return builder.finish()


def _prune(node: nodes.Element) -> None:
    for child in list(node.children):
        if isinstance(child, nodes.Element):
            _prune(child)
            _finish(child)


def truncate_nodes(body: list[nodes.Element], length: int) -> list[nodes.Element]:
    """Keep at most `length` characters of text (0 = all), cutting the last text node at a word
    boundary with "…", dropping everything after, keeping the structure (no half-open nodes,
    no empty paragraphs/list items left behind). Returns copies; *body* is left alone."""
    root, total = nodes.container(), 0
    for block in body:  # copy only the blocks that may be kept
        if 0 < length < total:
            break
        root += block.deepcopy()
        total += sum(len(text) for text in root[-1].findall(nodes.Text))
    if length <= 0 or total <= length:
        return _detach(root)
    budget = length - 1  # room for the "…"
    texts = list(root.findall(nodes.Text))
    last: nodes.Text | None = None
    for text in texts:
        if len(text) <= budget:
            budget -= len(text)
            last = text if text.strip() else last
            continue
        head = str(text)[: max(budget, 0)]
        if not text[budget:][:1].isspace():
            head = head[: max(head.rfind(" "), head.rfind("\n"), 0)]
        head = head.rstrip(_TRAILING)
        if not head and last is None:
            head = str(text)[: max(budget, 0)]
        end = text if head or last is None else last
        value = (head if end is text else str(end)).rstrip(_TRAILING) + "…"
        parent = end.parent
        assert parent is not None
        parent[_index(parent, end)] = cut = nodes.Text(value)
        node: nodes.Node = cut
        while node is not root and node.parent is not None:
            del node.parent[_index(node.parent, node) + 1 :]
            node = node.parent
        break
    _prune(root)
    return _detach(root)


def _detach(root: nodes.Element) -> list[nodes.Element]:
    body = [child for child in root.children if isinstance(child, nodes.Element)]
    root.clear()
    for child in body:
        child.parent = None
    return body
