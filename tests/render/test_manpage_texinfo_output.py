"""Feed strings that are markup in roff or Texinfo come out as text, in real builds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

#: Every roff escape a man page with feed content may hold: docutils' own
#: markup (fonts, bullets, no-hyphenation, breakpoints) and escaped characters.
ALLOWED_ESCAPES = re.compile(r"\\(e|\((dq|aq|ga|bu|em)|-|%|:|&|f[BIPR]|'| )")


def _feed_part(page: str) -> str:
    author = re.search(r"^\.SH (?:Author|AUTHOR)$", page, re.MULTILINE)  # AUTHOR: Sphinx 8
    assert author is not None
    return page[page.index(".SH TEXT FEED") : author.start()]


def test_man_page_escapes_every_feed_string(project):
    hostile = project("d2-hostile")
    hostile.build("man")
    page = _feed_part(hostile.output("feedtest.1", "man"))
    assert "hostile\\:.example" in page
    unescaped = [m.group(0) for m in re.finditer(r"\\.?", page)
                 if not ALLOWED_ESCAPES.match(page, m.start())]  # fmt: skip
    assert unescaped == []
    # the URL's backslashes are text, in links of titles, captions and summaries
    assert r"\%<https://\:hostile\:.example/\:a\e\(dqb\eV[HOME]" in page
    assert page.count(r"\eV[HOME]>") >= 3
    # no line of the feed starts a roff request or macro
    requests = {line.split()[0] for line in page.splitlines() if line[:1] in ".'"}
    assert requests <= {".SH", ".INDENT", ".IP", ".sp", ".UNINDENT", ".EX", ".EE"}
    assert len(re.findall(r"^\.SH ", page, re.M)) == 2  # the document's sections only


def test_man_page_renders_feed_strings_literally_with_groff(project):
    if shutil.which("groff") is None:
        pytest.skip("groff is not installed")
    hostile = project("d2-hostile")
    hostile.build("man")
    page = hostile.srcdir / "_build" / "man" / "feedtest.1"
    rendered = subprocess.run(
        ["groff", "-k", "-man", "-Tutf8", "-P-cbou", "-rLL=300n", str(page)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "HOME": "/the-readers-home"},
    ).stdout  # fmt: skip
    assert "/the-readers-home" not in rendered  # \V[HOME] did not read the environment
    assert r"<https://hostile.example/a\"b\V[HOME]@{x},y'z>" in rendered  # nothing hidden
    assert r"Title \" hides \fBbold\fR \V[HOME]" in rendered
    assert ".SH INJECTED TITLE" in rendered  # text, not a heading
    assert ".TH pre" in rendered


def test_texinfo_escapes_at_signs_braces_and_commas(project):
    hostile = project("d2-hostile")
    hostile.build("texinfo")
    texi = hostile.output("feedtest.texi", "texinfo")
    body = texi[texi.index("@chapter Text feed") : texi.index("@c %**end of body")]
    assert "@@code@{x@} @{a@}" in body
    assert "@footnote{https://hostile.example/a\\\"b\\V[HOME]@@@{x@}@comma{}y'z}" in body
    assert "cat\\e @@end" in body
    # every @ in the feed part is an escape or one of the writer's own commands
    commands = set(re.findall(r"@(\w+)", body.replace("@@", "")))
    assert commands <= {
        "node", "anchor", "chapter", "itemize", "item", "end", "footnote", "comma",
        "indicateurl", "code", "example",
    }  # fmt: skip
