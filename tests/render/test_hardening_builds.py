"""Issue 17, hardening III, in real builds: valid EPUB, readable .tex, a PDF, a warning.

Each test writes the three feeds of ``roots/test-hardening`` (RSS, Atom,
JSON Feed) with the hostile text it needs, then builds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from helpers import warning_lines
from lxml import etree

if TYPE_CHECKING:
    from pathlib import Path

#: pdflatex's input buffer (TeX Live's buf_size): a longer .tex line cannot be read.
TEX_BUFFER = 200_000
LONG = 300_000


def rss(title: str = "RSS item", summary: str = "RSS summary", doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel>'
        "<title>RSS feed</title><link>https://example.org/</link>"
        f"<item><title>{title}</title><link>https://example.org/rss/1</link>"
        f"<description>{summary}</description><category>news</category></item>"
        "</channel></rss>"
    )


def atom(title: str = "Atom entry") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom feed</title><id>urn:feed</id><updated>2026-01-01T00:00:00Z</updated>"
        f"<entry><title>{title}</title><id>urn:1</id><link href='https://example.org/atom/1'/>"
        "<updated>2026-01-01T00:00:00Z</updated><summary>Atom summary</summary></entry></feed>"
    )


def json_feed(title: str = "JSON item", text: str = "JSON text", tag: str = "tag") -> str:
    item = {"id": "1", "url": "https://example.org/json/1", "title": title,
            "content_text": text, "tags": [tag]}  # fmt: skip
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON feed", "items": [item]},
        ensure_ascii=False,
    )


def write_feeds(srcdir: Path, rss_text: str, atom_text: str, json_text: str) -> None:
    folder = srcdir / "_feeds"
    (folder / "hardening-rss.xml").write_text(rss_text, encoding="utf-8")
    (folder / "hardening-atom.xml").write_text(atom_text, encoding="utf-8")
    (folder / "hardening.json").write_text(json_text, encoding="utf-8")


def test_noncharacters_leave_every_epub_page_well_formed(project):
    """U+FFFF reached EPUB pages before (``&#xFFFF;`` in an HTML summary is decoded
    by the sanitizer, a JSON string holds it raw), which lxml then refused."""
    site = project("hardening")
    write_feeds(
        site.srcdir,
        rss(title="R &#xFFFF;one", summary="&lt;p&gt;S &amp;#xFFFF;two &amp;#xFDD0;&lt;/p&gt;"),
        atom(title="A &amp;#xFFFE;three &amp;#x10FFFF;four"),
        json_feed(title="J \uffffive", text="T \U0001fffesix", tag="t\ufdefseven"),
    )
    site.build("epub")
    assert warning_lines(site.last_warnings) == []
    pages = sorted((site.srcdir / "_build" / "epub").rglob("*.xhtml"))
    assert pages
    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    for page in pages:
        etree.parse(str(page), strict)  # raises on U+FFFE / U+FFFF
    text = (site.srcdir / "_build" / "epub" / "index.xhtml").read_text(encoding="utf-8")
    for shown in ("R one", "S two", "A three four", "J ive", "T six", "tseven"):
        assert shown in text
    assert not re.search("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]", text)


def test_no_tex_line_is_longer_than_tex_reads(project):
    """A 300,000-character title or summary paragraph was one .tex line before."""
    site = project("hardening")
    words = ("word " * (LONG // 5)).strip()
    write_feeds(site.srcdir, rss(title=words, summary="x" * LONG), atom("a" * LONG), json_feed())
    site.build("latex")
    tex = site.output("hardening.tex", "latex")
    assert max(len(line) for line in tex.splitlines()) < TEX_BUFFER // 10
    assert tex.count("word") >= LONG // 5  # nothing lost
    assert tex.count("x") >= LONG and tex.count("a") >= LONG


def test_a_300000_character_title_and_summary_make_a_pdf(project):
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        pytest.skip("latexmk and pdflatex are not installed (.ci/run installs TeX Live)")
    site = project("hardening")
    words = ("word " * (LONG // 5)).strip()
    write_feeds(site.srcdir, rss(title=words, summary=words), atom("b" * LONG), json_feed())
    site.build("latex")
    outdir = site.srcdir / "_build" / "latex"
    made = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error",
         "hardening.tex"],
        cwd=outdir, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    log = (outdir / "hardening.log").read_text(encoding="utf-8", errors="replace")
    assert made.returncode == 0, log[-3000:]
    assert "Unable to read an entire line" not in log
    assert (outdir / "hardening.pdf").stat().st_size > 1000


ENTITY_DOCTYPE = '<!DOCTYPE rss [<!ENTITY lol "x"><!ENTITY nbsp "&#160;">]>'


def test_a_doctype_that_declares_entities_gets_one_warning_per_build(project):
    """Before, the text showed ``&lol;`` with no warning at all (a note at ``-v`` at most)."""
    site = project("hardening")
    write_feeds(site.srcdir, rss(title="a &lol; b", doctype=ENTITY_DOCTYPE), atom(), json_feed())
    for _build in range(2):  # the page is written again: the warning comes back
        site.build("html")
        [warning] = warning_lines(site.last_warnings)
        assert re.search(r"index\.rst:\d+: WARNING: feed /_feeds/hardening-rss\.xml: ", warning)
        assert "&lol;" in warning and "shows them as written" in warning
        assert "&nbsp;" not in warning  # HTML's names are read as HTML's characters
        assert warning.endswith("[feed.parse]")
    assert "a &amp;lol; b" in site.output("index.html")
