"""The shared real-world corpus (``../shared/feeds``): skipped where it is absent."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from helpers import corpus_folder, feeds_in, serve_feed, warning_lines

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.document import parse_feed

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_httpserver import HTTPServer


def test_seed_feed_builds_cleanly(project, httpserver: HTTPServer):
    seed = corpus_folder("realworld") / "lilianweng-lillog.rss.xml"
    serve_feed(httpserver, "/lillog.xml", seed.read_bytes())
    built = project("seed")
    built.build(verbosity=1)

    # ill-formed (undefined entity) but usable: a verbose note, not a warning
    assert warning_lines(built.last_warnings) == []
    assert re.search(r"feed .*/lillog\.xml: ill-formed feed read leniently", built.last_status)

    html = built.output("index.html")
    [items] = feeds_in(html)[0]
    assert len(items) == 50
    assert items[0].title == "Reward Hacking in Reinforcement Learning"
    assert items[0].datetime == "2024-11-28T00:00:00Z"
    # the item dated 0001-01-01 is shown without a date, last
    assert items[-1].title == "FAQ"
    assert items[-1].datetime is None and items[-1].date == ""
    assert all(item.datetime for item in items[:-1])
    # <h1> headings inside summaries never become sections or anchors
    assert html.count("<section") == 1
    assert html.count("<h1") == 1
    assert "Feed unavailable" not in html


def test_seed_feed_in_text_and_latex(project, httpserver: HTTPServer):
    seed = corpus_folder("realworld") / "lilianweng-lillog.rss.xml"
    serve_feed(httpserver, "/lillog.xml", seed.read_bytes())
    built = project("seed")
    built.build("latex")
    [tex] = (built.srcdir / "_build/latex").glob("*.tex")
    latex = tex.read_text(encoding="utf-8")
    assert latex.count(r"\sphinxhref{https://lilianweng.github.io/posts/") == 49
    assert r"\section" not in latex.split(r"\chapter", 2)[-1]


def _corpus_files(*parts: str) -> list[Path]:
    try:
        folder = corpus_folder(*parts)
    except pytest.skip.Exception:
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix not in {".txt", ".md"})


@pytest.mark.parametrize(
    "folder", [("realworld",), ("feedparser-tests", "tests"), ("w3c-feedvalidator", "testcases")]
)
def test_every_corpus_file_parses_or_says_why(folder: tuple[str, ...]):
    corpus_folder(*folder)
    files = _corpus_files(*folder)
    assert files
    parsed = refused = 0
    for path in files:
        try:
            feed, _ = parse_feed(path.read_bytes(), "https://example.org/feed", "")
        except FeedParseError as error:
            assert str(error), path
            refused += 1
            continue
        parsed += 1
        for entry in feed.entries:
            for url in (entry.link, entry.image, feed.link):
                assert url is None or url.split(":", 1)[0] in {"http", "https", "mailto"}, path
            assert "<script" not in entry.summary_html.lower(), path
            assert "javascript:" not in entry.summary_html.lower(), path
    assert parsed > refused
    if folder == ("realworld",):
        assert refused == 0


def test_every_corpus_file_builds_to_items_or_a_located_warning(project, tmp_path):
    """The corpus README's promise: a build that finishes; items or a feed.* warning per file."""
    corpus = corpus_folder()
    built = project("fresh")
    files = [
        p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix not in {".txt", ".md"}
    ]
    target = built.srcdir / "_corpus"
    lines = ["Corpus", "======", ""]
    for number, path in enumerate(files):
        copy = target / f"{number:04d}{path.suffix or '.feed'}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
        lines += [f".. feed:: /_corpus/{copy.name}", "   :limit: 2", "   :summary: rich", ""]
    (built.srcdir / "index.rst").write_text("\n".join(lines), encoding="utf-8")
    built.build()

    html = built.output("index.html")
    blocks = html.split('<div class="feed-block feed-list')[1:]
    warned = {
        int(match[1])
        for match in re.finditer(
            r"index\.rst:(\d+): WARNING: .*\[feed\.(?:fetch|parse)\]", built.last_warnings
        )
        if "DOCTYPE declares entities" not in match[0]  # a feed shown, with a warning
        and "item link(s) are relative" not in match[0]  # the same (issue 19, :base:)
    }
    entities = {
        files[(int(match[1]) - 4) // 4].name
        for match in re.finditer(
            r"index\.rst:(\d+): WARNING: .*DOCTYPE declares entities.*\[feed\.parse\]",
            built.last_warnings,
        )
    }
    assert entities == {"entity_in_doctype.xml"}  # uses the entity it declares
    assert "Traceback" not in built.last_warnings
    assert len(blocks) == len(files)
    for number, (path, block) in enumerate(zip(files, blocks, strict=True)):
        directive_line = 4 + 4 * number
        if directive_line in warned:  # a located warning, and the page says so
            assert "Feed unavailable." in block.split("</div>")[0], path
        else:  # items, or a feed that is valid and empty
            assert 'class="feed-item" id="feed-item-' in block or "No items." in block, path
    assert 0 < len(warned) < len(files) // 2  # the corpus holds broken files on purpose
