"""Issue 10: entity declarations, however hidden, are never expanded; limits hold."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import count_budget_checks, feeds_in, serve_feed, warning_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sphinxcontrib_feed.model import Feed, FeedParseError
from sphinxcontrib_feed.parse import document as parse
from sphinxcontrib_feed.parse import limits, xmlsafe
from sphinxcontrib_feed.parse.document import parse_feed
from sphinxcontrib_feed.parse.xmldepth import cap_depth

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

URL = "https://example.org/feed.xml"
MARKER = "EXPANDEDMARKER"
ITEMS = (
    "<rss version='2.0'><channel><title>T &e;</title><link>https://example.org/</link>"
    "<item><title>one &e; end</title><link>https://example.org/1</link>"
    "<description>&lt;p&gt;a &amp;amp; b&lt;/p&gt; &e;</description></item>"
    "<item><title>two</title><guid>https://example.org/2</guid></item>"
    "</channel></rss>"
)
# The spellings that slipped past the old pattern check (issue 10), and more.
DOCTYPES = {
    "plain": f'<!DOCTYPE rss [<!ENTITY e "{MARKER}">]>',
    "bracket in comment": f'<!DOCTYPE rss [ <!-- ] --> <!ENTITY e "{MARKER}"> ]>',
    "bracket in PI": f'<!DOCTYPE rss [ <?pi ] ?> <!ENTITY e "{MARKER}"> ]>',
    "bracket in ATTLIST": f'<!DOCTYPE rss [ <!ATTLIST rss a CDATA "]"> <!ENTITY e "{MARKER}"> ]>',
    "empty subset": "<!DOCTYPE rss [ ]>",
    "gt in SYSTEM id": f'<!DOCTYPE rss SYSTEM "a>b" [ <!ENTITY e "{MARKER}"> ]>',
    "nested": f'<!DOCTYPE rss [<!ENTITY m "{MARKER}"><!ENTITY e "&m;&m;&m;">]>',
    "parameter entity": f"<!DOCTYPE rss [<!ENTITY % p \"<!ENTITY e '{MARKER}'>\"> %p; ]>",
    "external": '<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
    "lowercase": f'<!doctype rss [<!entity e "{MARKER}">]>',
}
PREFIXES = {
    "none": "",
    "declaration": '<?xml version="1.0" encoding="{encoding}"?>\n',
    "64 KiB comment": "<!--" + "x" * 70_000 + "-->",
    "64 KiB whitespace": " " * 70_000,
}
ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def all_text(feed: Feed) -> str:
    parts = [feed.title, feed.link or ""]
    for entry in feed.entries:
        parts += [entry.title, entry.link or "", entry.id or "", entry.summary_html]
        parts += [entry.summary_text, entry.author, *entry.categories]
    return "\n".join(parts)


def assert_not_expanded(document: bytes) -> Feed | None:
    """The feed (None if refused): never holding a declared entity's text."""
    start = time.perf_counter()
    try:
        feed, _ = parse_feed(document, URL)
    except FeedParseError as error:  # refusing is fine; expanding is not
        assert MARKER not in str(error)
        return None
    finally:
        assert time.perf_counter() - start < 10
    text = all_text(feed)
    assert MARKER not in text
    assert "root:" not in text  # no file was read
    assert len(text) <= len(document)
    return feed


@pytest.mark.parametrize("doctype", DOCTYPES.values(), ids=DOCTYPES.keys())
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_dtd_spellings_never_expand(doctype: str, encoding: str):
    for prefix in PREFIXES.values():
        text = prefix.format(encoding=encoding.upper()) + doctype + ITEMS
        document = text.encode(encoding)
        feeds = [assert_not_expanded(document)]
        if encoding == "utf-8":
            feeds.append(assert_not_expanded(b" " + document))
        if doctype.startswith("<!doctype"):  # not XML: libxml2 finds no document
            assert feeds == [None] * len(feeds)
        else:  # the items are read whatever the spelling, encoding or prefix
            assert all(feed and len(feed.entries) == 2 for feed in feeds)


def test_the_items_survive_the_doctype():
    feed, _ = parse_feed((DOCTYPES["bracket in comment"] + ITEMS).encode("utf-16-le"), URL)
    assert [entry.title for entry in feed.entries] == ["one &e; end", "two"]
    assert feed.entries[0].summary_html.startswith("<p>a &amp; b</p>")


def test_ebcdic_document_is_read_without_expansion():
    text = '<?xml version="1.0" encoding="cp037"?>' + DOCTYPES["plain"] + ITEMS
    feed, _ = parse_feed(text.encode("cp037"), URL)
    assert [entry.title for entry in feed.entries] == ["one &e; end", "two"]
    assert MARKER not in all_text(feed)


BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!-- ] --> <!ENTITY a "'
    + b"A" * 50_000
    + b'"> ]>\n<rss version="2.0"><channel><title>t</title><item><title>i</title>'
    b"<description>" + b"&a;" * 20_000 + b"</description></item></channel></rss>"
)


def test_entity_bomb_costs_nothing():
    """Issue 10: a 110 KB feed whose entity expanded to 4.8 GB in feedparser."""
    start = time.perf_counter()
    feed, _ = parse_feed(BOMB, URL)
    assert time.perf_counter() - start < 10
    assert "A" * 100 not in all_text(feed)
    assert len(all_text(feed)) <= 2 * len(BOMB)


@pytest.mark.skipif(sys.platform != "linux", reason="reads ru_maxrss, in KiB on Linux")
def test_entity_bomb_memory_in_a_fresh_process(tmp_path: Path):
    """Peak memory of a whole process parsing the bomb: ~80 MB, was 4.8 GB."""
    (tmp_path / "bomb.xml").write_bytes(BOMB)
    script = (
        "import resource, sys; from sphinxcontrib_feed.parse.document import parse_feed; "
        "parse_feed(open(sys.argv[1], 'rb').read(), 'https://example.org/feed'); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "bomb.xml")],
        capture_output=True, text=True, check=True, cwd=Path(parse.__file__).parents[2],
    )  # fmt: skip
    peak_mib = int(done.stdout) / 1024  # ru_maxrss is in KiB on Linux
    assert peak_mib < 400


@pytest.mark.parametrize("newlines", [200_000, 1_000_000])
def test_long_leading_comment_is_linear(newlines: int):
    """Issue 10: ``<!--`` + 200,000 newlines + ``-->`` before the root took 191 s; 1 MB, >600 s."""
    items = b"".join(
        b"<item><title>item %d</title><description>&lt;b&gt;x&lt;/b&gt;</description></item>" % i
        for i in range(500)
    )
    document = b"<!--" + b"\n" * newlines + b"--><rss version='2.0'><channel>" + items
    document += b"</channel></rss>"
    start = time.perf_counter()
    feed, _ = parse_feed(document, URL)
    assert time.perf_counter() - start < 20
    assert len(feed.entries) == 500


@pytest.mark.parametrize("levels", [100, 20_000])
def test_nesting_is_capped_and_costs_only_that_item(levels: int):
    deep = "<div>" * levels + "deep" + "</div>" * levels
    document = (
        "<rss version='2.0'><channel><title>t</title><item><title>deep one</title>"
        f"<description>{deep}</description></item><item><title>next</title></item>"
        "</channel></rss>"
    ).encode()
    start = time.perf_counter()
    feed, _ = parse_feed(document, URL)
    assert time.perf_counter() - start < 10
    assert [entry.title for entry in feed.entries] == ["deep one", "next"]
    assert "deep" not in feed.entries[0].summary_html


def test_cap_depth_drops_only_what_lies_too_deep():
    text = "<a>x<b>y<c>z<![CDATA[q]]><d/></c>w<!-- k --></b>v<e/></a>"
    assert cap_depth(text, 2) == "<a>x<b>yw<!-- k --></b>v<e/></a>"
    assert cap_depth(text, 3) == "<a>x<b>y<c>z<![CDATA[q]]></c>w<!-- k --></b>v<e/></a>"
    assert cap_depth(text, 9) == text


def test_items_are_capped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xmlsafe, "MAX_ITEMS", 3)
    items = "".join(f"<item><title>{i}</title></item>" for i in range(10))
    feed, _ = parse_feed(f"<rss version='2.0'><channel>{items}</channel></rss>".encode(), URL)
    assert [entry.title for entry in feed.entries] == ["0", "1", "2"]
    atom = "".join(f"<entry><title>{i}</title></entry>" for i in range(10))
    feed, _ = parse_feed(f"<feed xmlns='http://www.w3.org/2005/Atom'>{atom}</feed>".encode(), URL)
    assert len(feed.entries) == 3


def test_documents_past_the_size_cap_are_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xmlsafe, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(FeedParseError, match="larger than"):
        parse_feed(b"<rss version='2.0'><channel>" + b" " * 1000 + b"</channel></rss>", URL)


def test_time_budget_ends_in_a_parse_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parse, "PARSE_TIME_BUDGET", 0.0)
    with pytest.raises(FeedParseError, match="took longer than"):
        parse_feed(ITEMS.replace("&e;", "").encode(), URL)


def test_deadline_stops_between_items():
    deadline = limits.Deadline(0.05)
    seen = []
    with pytest.raises(FeedParseError, match=r"took longer than 0\.05 s"):
        for item in limits.DeadlineList(range(100), deadline):
            seen.append(item)
            busy_until = time.thread_time() + 0.01
            while time.thread_time() < busy_until:  # CPU time, not sleep, counts
                pass
    assert 3 <= len(seen) < 100


@pytest.mark.parametrize(
    "document", [b"", b"   \n", b"\x00\x01garbage", b"plain text", b"\xff\xfe\x00\x00"]
)
def test_what_is_not_xml_is_a_clear_error(document: bytes):
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(document, URL)


def test_bare_ampersands_and_html_entities_are_kept():
    """libxml2's recovery drops ``&amp;`` after an error; the re-read keeps it."""
    document = (
        b"<rss version='2.0'><channel><item><title>AT&T &rsquo;quoted&rsquo; &unknown; "
        b"&amp; &lt;3</title><description><![CDATA[<p>&amp;</p>]]></description>"
        b"</item></channel></rss>"
    )
    feed, note = parse_feed(document, URL)
    assert feed.entries[0].title == "AT&T ’quoted’ &unknown; & <3"
    assert feed.entries[0].summary_html == "<p>&amp;</p>"
    assert note is not None and note.startswith("ill-formed feed read leniently: line 1, column")


# -- property-based: any spelling, any encoding, any prefix ----------------------

_DECLARATIONS = (
    '<!ENTITY {name} "{marker}">',
    "<!ENTITY {name} '{marker}{marker}'>",
    '<!ENTITY m "{marker}"><!ENTITY {name} "&m;&m;">',
    "<!ENTITY % p \"<!ENTITY {name} '{marker}'>\"> %p;",
    '<!ENTITY {name} SYSTEM "file:///etc/hostname">',
)
_JUNK = ("", " ", "\n", "<!-- ] > -->", "<?pi ]?>", '<!ATTLIST rss a CDATA "]>">')


def _hostile_document(
    name: str,
    keyword: str,
    external: str,
    declaration: str,
    junk: tuple[str, str],
    prefix: str,
    encoding: str,
    xml_declaration: bool,
    bom: bool,
) -> bytes:
    subset = junk[0] + declaration.format(name=name, marker=MARKER) + junk[1]
    text = f"{prefix}<!{keyword} rss{external} [{subset}]>" + ITEMS.replace("&e;", f"&{name};")
    if xml_declaration:
        text = f'<?xml version="1.0" encoding="{encoding}"?>{text}'
    document = text.encode(encoding)
    if bom and encoding == "utf-8":
        document = b"\xef\xbb\xbf" + document
    return document


hostile_documents = st.builds(
    _hostile_document,
    name=st.sampled_from(["e", "x", "amp2", "Entity_1", "nbsp", "amp"]),
    keyword=st.sampled_from(["DOCTYPE", "doctype", "DocType"]),
    external=st.sampled_from(["", ' SYSTEM "x>y"', ' PUBLIC "-//a//]" "u"']),
    declaration=st.sampled_from(_DECLARATIONS),
    junk=st.tuples(st.sampled_from(_JUNK), st.sampled_from(_JUNK)),
    prefix=st.sampled_from(["", " ", "\n\n", "<!-- x -->", "<!--" + "\n" * 70_000 + "-->"]),
    encoding=st.sampled_from(ENCODINGS),
    xml_declaration=st.booleans(),
    bom=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_documents)
def test_no_spelling_or_encoding_expands_an_entity(document: bytes):
    assert_not_expanded(document)


# -- a real build -----------------------------------------------------------------


def test_hostile_doctype_and_mislabelled_rss_in_a_real_build(project, httpserver: HTTPServer):
    hostile = ('<?xml version="1.0"?>' + DOCTYPES["bracket in comment"] + ITEMS).encode("utf-16")
    serve_feed(httpserver, "/hostile.xml", hostile)
    serve_feed(httpserver, "/not-xml.xml", b"\x00\x01 definitely not a feed")
    rss = ITEMS.replace("&e;", "").encode()
    serve_feed(httpserver, "/mislabelled", rss, content_type="application/json")
    built = project("xmlsafe")
    built.build()
    html = built.output("index.html")
    assert MARKER not in html
    [hostile_items, broken_items, mislabelled_items], _ = feeds_in(html)
    assert [item.title for item in hostile_items] == ["one &e; end", "two"]
    assert broken_items == []
    assert [item.title for item in mislabelled_items] == ["one end", "two"]
    # the declared entity is shown as written, and the author is told why
    entities, warning = warning_lines(built.last_warnings)
    assert re.search(r"index\.rst:\d+: WARNING: .*hostile\.xml.*DOCTYPE declares", entities)
    assert "(&e;)" in entities and entities.endswith("[feed.parse]")
    assert re.search(r"index\.rst:\d+: WARNING: .*not-xml\.xml.*not a feed", warning)
    assert warning.endswith("[feed.parse]")


def test_the_budget_is_checked_between_entries(monkeypatch: pytest.MonkeyPatch):
    checks = count_budget_checks(monkeypatch)
    items = "".join(f"<item><title>{i}</title></item>" for i in range(25))
    feed, _ = parse_feed(f"<rss version='2.0'><channel>{items}</channel></rss>".encode(), URL)
    assert len(feed.entries) == 25
    assert len(checks) >= 25


def test_invalid_character_references_and_stray_markup_cost_nothing():
    """Issue 10 triggers: ``&#xD800;`` (libxml2 kept it as non-UTF-8 bytes), ``<![``."""
    document = (
        b"<rss version='2.0'><channel><item><title>a &#xD800; b &#0; c &#x1F600; "
        b"&#99999999999; &#0065;</title></item><item><title>x <![ y</title></item>"
        b"<item><title>last</title></item></channel></rss>"
    )
    feed, _ = parse_feed(document, URL)
    assert [entry.title for entry in feed.entries] == [
        "a \ufffd b c 😀 \ufffd A",  # a surrogate is U+FFFD, a control (NUL) is removed
        "x ![ y",
        "last",
    ]


_BASE = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
    b"<item><title>A &amp; B &rsquo;</title><dc:creator>me</dc:creator>"
    b"<description><![CDATA[<p>x &amp; y</p>]]></description></item>"
    b'<item><title>two</title><link href="a" type="b"/></item></channel></rss>'
)
_TOKENS = (
    b"<", b">", b"&", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<!DOCTYPE x [", b"]>",
    b'<!ENTITY e "' + MARKER.encode() + b'">', b"&e;", b"&#xD800;", b"&#0;", b"&nbsp;",
    b"\x00", b"\xff", b"\xfe\xff", b"<?xml ", b'encoding="utf-16"', b'version="2.0"',
    b"<html>", b"</item>", b"<item>", b'"', b"\r", b"<a:b>", b'xmlns:a=""', b' href="c"',
)  # fmt: skip


#: What the XML step removes from text, so that pieces around it join.
_REMOVED = re.compile(rb"<!--|-->|<!\[CDATA\[|\]\]>|[\x00-\x08\x0b\x0c\x0e-\x1f]|&#0;")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_BASE)), st.sampled_from(_TOKENS)), max_size=12))
def test_the_xml_step_always_gives_well_formed_utf8_or_a_parse_error(
    insertions: list[tuple[int, bytes]],
):
    document = bytearray(_BASE)
    for position, token in insertions:
        document[position:position] = token
    try:
        output, _ = xmlsafe.safe_xml(bytes(document), URL)
    except FeedParseError:
        return
    text = output.decode("utf-8")  # never bytes that are not UTF-8
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<')
    # as text at most, never expanded: counted in the document without what the
    # step removes (controls, comments, CDATA brackets), which may join a marker
    # that an insertion split in two ("EXPAND\x00EDMARKER")
    joined = _REMOVED.sub(b"", bytes(document))
    assert text.count(MARKER) <= max(document.count(MARKER.encode()), joined.count(MARKER.encode()))
    # well-formed XML 1.0 (namespaces aside: recovery keeps undeclared prefixes)
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        etree.fromstring(output, parser)
    except etree.XMLSyntaxError as error:
        assert "amespace" in str(error) or "QName" in str(error) or "URI" in str(error)


def test_a_parse_past_its_budget_is_a_located_warning(
    project, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(parse, "PARSE_TIME_BUDGET", 0.0)
    for path in ("/hostile.xml", "/mislabelled"):
        serve_feed(httpserver, path, ITEMS.replace("&e;", "").encode())
    serve_feed(httpserver, "/not-xml.xml", b"\x00\x01 definitely not a feed")
    built = project("xmlsafe")
    built.build()
    warnings = warning_lines(built.last_warnings)
    assert len(warnings) == 3
    budget = [w for w in warnings if "took longer than 0 s" in w]
    assert len(budget) == 2
    assert all(re.search(r"index\.rst:\d+: WARNING: ", w) for w in budget)
    assert all(w.endswith("[feed.parse]") for w in warnings)
    assert "Feed unavailable" in built.output("index.html")
