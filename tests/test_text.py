"""Plain text from HTML: block boundaries, ellipses, limits."""

from __future__ import annotations

import time

import pytest

from sphinxcontrib_feed.finish import sanitize
from sphinxcontrib_feed.text import BLOCK_SEPARATOR, MAX_TAGS, html_to_text, shorten


def test_still_importable_from_sanitize():
    assert sanitize.html_to_text is html_to_text
    assert sanitize.shorten is shorten


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<h1>What is new</h1><p>Version 2.0 is out.</p>", "What is new · Version 2.0 is out."),
        ("<p>Features:</p><ul><li>fast</li><li>small</li></ul>", "Features: fast · small"),
        ("<p>One.</p><p>Two!</p><p>Three?</p>after", "One. Two! Three? after"),
        ('<p>He said "yes."</p><p>Then</p>', 'He said "yes." Then'),
        ("<p>(see above)</p><p>next</p>", "(see above) · next"),
        ("<p>[Thanks to A. for feedback.] </p><p>Next</p>", "[Thanks to A. for feedback.] Next"),
        ("line one<br>line two<br/>three", "line one · line two · three"),
        (
            "<table><tr><th>k</th><td>v</td></tr><tr><td>a</td><td>b</td></tr></table>",
            "k · v · a · b",
        ),
        ("<p>a <b>bold</b> <i>and</i> <a href='x'>link</a>s</p>", "a bold and links"),
        ("<p>  </p><p></p><div><p>only</p></div>", "only"),
        ("<h2>Title</h2>", "Title"),
        ("<p>x</p><style>p{}</style><script>1</script><p>y</p>", "x · y"),
        ("plain  text\n with   spaces", "plain text with spaces"),
        ("a &amp; b", "a & b"),
        ("<p>中文。</p><p>下一段</p>", "中文。 下一段"),
    ],
)
def test_blocks_stay_apart(fragment: str, expected: str):
    assert html_to_text(fragment) == expected


def test_the_separator_is_documented_and_single():
    text = html_to_text("<h1>a</h1><h2>b</h2><div><div><p>c</p></div></div>")
    assert text == f"a{BLOCK_SEPARATOR}b{BLOCK_SEPARATOR}c"


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("alpha beta gamma delta", 14, "alpha beta…"),
        ("alpha beta", 0, "alpha beta"),
        ("alpha beta", 10, "alpha beta"),
        ("It goes on…", 100, "It goes on…"),  # fits: left alone, no second ellipsis
        ("It goes on...", 100, "It goes on..."),
        ("Something… more words here", 12, "Something…"),
        ("Something... more words here", 14, "Something…"),
        ("The excerpt ends here [&hellip;] and more", 27, "The excerpt ends here…"),
        ("Read the post [...] now", 20, "Read the post…"),
    ],
)
def test_shorten_never_doubles_an_ellipsis(text: str, length: int, expected: str):
    result = shorten(text, length)
    assert result == expected
    assert len(result) <= max(length, len(text) if length <= 0 else length)
    assert "……" not in result and "...…" not in result


@pytest.mark.parametrize(
    "fragment",
    [
        "<div>" * 100_000 + "deep" + "</div>" * 100_000,
        "<b>" * 100_000 + "deep",
        "<table><tr><td>" * 10_000 + "deep",
        "<p>x</p>" * 100_000,
        "<" * 200_000,
        "</b>" * 100_000 + "text",
    ],
    ids=["div", "b", "table", "siblings", "angles", "stray-ends"],
)
def test_hostile_nesting_costs_linear_time(fragment: str):
    start = time.process_time()  # CPU time: the cost, however busy the machine
    text = html_to_text(fragment)
    assert time.process_time() - start < 5  # was 22 s for 100k <div> (issue 10)
    assert len(text) <= len(fragment)


def test_reading_stops_after_the_tag_limit_without_half_tags():
    text = html_to_text("<p>x</p>" * MAX_TAGS)
    assert MAX_TAGS // 2 - 10 <= text.count("x") <= MAX_TAGS // 2 + 8192
    assert "<" not in text
