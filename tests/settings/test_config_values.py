"""Configuration read once, normalised and reported; directive sources and typos."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, requests_for, serve_feed, warning_lines

from sphinxcontrib_feed.reading.nodes import feed_placeholder
from sphinxcontrib_feed.settings.config import MAX_DURATION, parse_bool, parse_duration
from sphinxcontrib_feed.settings.resolved import Settings, get_settings

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer
    from sphinx.testing.util import SphinxTestApp

#: Every value the test-config-bad root sets wrongly, with its conf.py line.
BAD_VALUES = {
    "feed_limit": (8, "'5'"),
    "feed_summary": (9, "3"),
    "feed_summary_length": (10, "-1"),
    "feed_date_format": (11, "5"),
    "feed_layout": (12, "'grid'"),
    "feed_expire": (13, "'soon'"),
    "feed_on_error": (14, "'sometimes'"),
    "feed_as_of": (15, "'maybe'"),
    "feed_rel": (16, "'nofollow bogus'"),
    "feed_searchable": (17, "[True]"),
    "feed_allowed_hosts": (18, "5"),
    "feed_offline": (19, "2"),
    "feed_snapshot_dir": (20, "5"),
    "feed_cache_path": (21, "['x']"),
    "feed_cache_backend": (22, "'postgres'"),
    "feed_timeout": (23, "'fast'"),
    "feed_max_bytes": (24, "0"),
    "feed_concurrency": (25, "0"),
    "feed_user_agent": (26, "b'bot'"),
    "feed_linkcheck": (27, "'sometimes'"),
    "feed_backoff": (28, "'nan'"),
    "feed_sources": (29, "['_feeds/news.rss']"),
}


def placeholders(app: SphinxTestApp, docname: str) -> list[feed_placeholder]:
    """The placeholders of a read document (the doctree before writing)."""
    return list(app.env.get_doctree(docname).findall(feed_placeholder))


def test_every_bad_value_is_one_named_warning_and_the_defaults_apply(project):
    bad = project("config-bad")
    app = bad.build()
    warnings = warning_lines(bad.last_warnings)
    assert app.statuscode == 0
    assert len(warnings) == len(BAD_VALUES), warnings  # one each, nothing from Sphinx itself
    conf = bad.srcdir / "conf.py"
    for name, (line, value) in BAD_VALUES.items():
        [warning] = [w for w in warnings if f" {name} = " in w]
        assert warning.startswith(f"{conf}:{line}: WARNING: {name} = {value} is not valid")
        assert warning.endswith("[feed.config]")
        assert "(expected " in warning
    [layout] = [w for w in warnings if "feed_layout" in w]
    assert "expected one of list, compact, cards, in any case); using 'list' instead" in layout
    [hosts] = [w for w in warnings if "feed_allowed_hosts" in w]
    assert hosts.endswith("allowing no remote host [feed.config]")  # fails closed
    [rel] = [w for w in warnings if "feed_rel" in w]
    assert "using 'nofollow' instead" in rel  # the known token is kept

    settings = get_settings(app)
    assert (settings.limit, settings.layout, settings.summary) == (10, "list", "text")
    assert (settings.expire, settings.backoff, settings.timeout) == (3600, 300, 10)
    assert settings.allowed_hosts == ()
    assert settings.rel == "nofollow"
    assert settings.offline is False
    assert settings.sources == {}
    assert app.config.feed_limit == 10  # written back for anything reading the config
    [items] = feeds_in(bad.output("index.html"))[0]
    assert len(items) == 10


def test_bad_values_fail_a_strict_build_cleanly(project):
    bad = project("config-bad")
    app = bad.build(warningiserror=True)
    assert app.statuscode == 1
    assert "Traceback" not in bad.last_warnings + bad.last_status
    assert (bad.srcdir / "_build/html/index.html").is_file()


def test_suppressed_config_warnings(project):
    bad = project("config-bad")
    app = bad.build(warningiserror=True, confoverrides={"suppress_warnings": ["feed.config"]})
    assert app.statuscode == 0
    assert warning_lines(bad.last_warnings) == []


def test_mixed_case_values_are_normalised(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    mixed = project("config-mixed")
    app = mixed.build()
    assert warning_lines(mixed.last_warnings) == []
    settings = get_settings(app)
    assert settings.layout == "cards"
    assert settings.summary == "none"
    assert settings.on_error == "error"
    assert settings.offline is False  # "no" is no
    assert (settings.as_of, settings.searchable, settings.linkcheck) == (False, True, False)
    assert (settings.expire, settings.backoff) == (7200, 90)
    assert settings.cache_backend == "memory"
    assert settings.rel == "nofollow ugc"
    assert settings.allowed_hosts == ("localhost",)
    assert settings.sources["news"].defaults == {"limit": 2, "reverse": True}
    assert settings.sources["releases"].defaults == {"summary-length": 20, "as-of": False}

    html = mixed.output("index.html")
    assert 'class="feed-block feed-cards' in html
    [items] = feeds_in(html)[0]
    assert [item.title for item in items] == ["Hostile link", "Release note 07"]  # oldest first
    assert requests_for(httpserver, "/news.rss") == 1  # not offline

    [index] = placeholders(app, "index")
    assert index["options"]["on_error"] == "error"
    assert index["options"]["searchable"] is True
    assert index["options"]["rel"] == "nofollow ugc"
    [one] = placeholders(app, "one")
    assert one["options"]["rel"] == "sponsored nofollow"
    assert one["options"]["summary_length"] == 20


def test_parallel_build_has_the_same_settings_and_warnings(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    serial, parallel = project("config-mixed", "serial"), project("config-mixed", "parallel")
    serial.build()
    parallel_app = parallel.build(parallel=2)
    for page in ("index.html", "one.html", "two.html"):
        body = re.compile(r'<div class="body".*?<div class="sphinxsidebar"', re.S)
        assert body.search(serial.output(page))[0] == body.search(parallel.output(page))[0]
    assert 'class="feed-block feed-cards' in parallel.output("two.html")
    assert placeholders(parallel_app, "two")[0]["options"]["rel"] == "sponsored nofollow"

    bad_serial, bad_parallel = project("config-bad", "bad1"), project("config-bad", "bad2")
    bad_serial.build()
    bad_parallel.build(parallel=2)
    serial_warnings = [w.split(": ", 1)[1] for w in warning_lines(bad_serial.last_warnings)]
    parallel_warnings = [w.split(": ", 1)[1] for w in warning_lines(bad_parallel.last_warnings)]
    assert serial_warnings == parallel_warnings  # reported once, in the main process


def test_settings_rebuilt_quietly_where_not_cached(project, caplog):
    bad = project("config-bad")
    app = bad.build()
    config = app.config
    del config.__dict__["_feed_settings"]
    caplog.clear()
    rebuilt = get_settings(config)
    assert isinstance(rebuilt, Settings)
    assert rebuilt == get_settings(app)
    assert rebuilt.layout == "list"
    assert not [r for r in caplog.records if "feed_" in r.getMessage()]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True), (False, False), ("yes", True), ("No", False), (" ON ", True),
        ("off", False), ("1", True), ("0", False), ("TRUE", True), ("false", False),
    ],
)  # fmt: skip
def test_clearly_boolean_values(value: object, expected: bool):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", "", 1, 0, None, [True], "nope"])
def test_anything_else_is_not_a_boolean(value: object):
    with pytest.raises(ValueError, match="not a boolean"):
        parse_bool(value)


def test_offline_no_is_not_offline(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    app = basic.build(confoverrides={"feed_offline": "no"})
    assert get_settings(app).offline is False
    assert requests_for(httpserver, "/news.rss") == 1
    offline = project("basic", "offline")
    assert get_settings(offline.build(confoverrides={"feed_offline": "Yes"})).offline is True


def test_allowed_hosts_as_a_string_is_one_pattern(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build(confoverrides={"feed_allowed_hosts": "*.example.org"})
    warnings = warning_lines(basic.last_warnings)
    assert len(warnings) == 3
    assert all("host not in feed_allowed_hosts [feed.unsafe]" in w for w in warnings)
    assert requests_for(httpserver, "/news.rss") == 0

    one = project("basic", "one")
    one.build(confoverrides={"feed_allowed_hosts": "localhost"})
    assert warning_lines(one.last_warnings) == []
    assert requests_for(httpserver, "/news.rss") == 1


@pytest.mark.parametrize("value", [5, {"localhost": True}, 1.5])
def test_allowed_hosts_unreadable_allows_no_host(project, httpserver: HTTPServer, value: object):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build(confoverrides={"feed_allowed_hosts": value})
    warnings = warning_lines(basic.last_warnings)
    assert "feed_allowed_hosts" in warnings[0] and "allowing no remote host" in warnings[0]
    assert sum("[feed.unsafe]" in w for w in warnings) == 3
    assert requests_for(httpserver, "/news.rss") == 0


def test_allowed_hosts_bad_items_are_dropped(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    app = basic.build(confoverrides={"feed_allowed_hosts": ["localhost", 5, ""]})
    [warning] = warning_lines(basic.last_warnings)
    assert "using ('localhost',) instead [feed.config]" in warning
    assert get_settings(app).allowed_hosts == ("localhost",)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("90", 90), (90, 90), ("30m", 1800), ("2H", 7200), ("1.5d", 129600), ("2w", 1209600),
        ("99999999999w", MAX_DURATION), (10**400, MAX_DURATION), ("9" * 400, MAX_DURATION),
        (1e300, MAX_DURATION), ("99999999w", MAX_DURATION),
    ],
)  # fmt: skip
def test_durations_are_clamped(value: str | float, seconds: float):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value", [math.inf, -math.inf, math.nan, "inf", "nan", "-5", -5, True, "soon", "", None]
)
def test_durations_refused(value: object):
    with pytest.raises(ValueError):
        parse_duration(value)  # type: ignore[arg-type]


def test_huge_durations_build(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    huge = project("config-durations")
    app = huge.build()
    assert warning_lines(huge.last_warnings) == []
    assert get_settings(app).expire == MAX_DURATION
    assert get_settings(app).backoff == MAX_DURATION
    feeds, _ = feeds_in(huge.output("index.html"))
    assert len(feeds[0]) == 13  # every dated item is newer than ten years ago
    assert len(feeds[1]) == 10


@pytest.mark.parametrize("value", ["inf", "nan", "-1h"])
def test_bad_duration_option_is_a_located_error(project, value: str):
    built = project("fresh")
    page = f"Bad\n===\n\n.. feed:: _feeds/news.rss\n   :since: {value}\n"
    (built.srcdir / "index.rst").write_text(page, encoding="utf-8")
    built.build()
    error = built.last_warnings
    assert re.search(r'index\.rst:4: ERROR: Error in "feed" directive', error)
    assert f"not a duration: '{value}'" in error or "cannot be negative" in error


def test_typos_get_suggestions(project):
    typos = project("config-typos")
    app = typos.build()
    warnings = warning_lines(typos.last_warnings)
    assert len(warnings) == 6, warnings
    assert all(w.endswith("[feed.config]") for w in warnings)
    name, host, comma, port, rel, case = warnings
    assert re.search(
        r"index\.rst:4: WARNING: feed source 'releses' not found: not a URL \(no http:// or "
        r"https://\); not a file \(no releses in the source directory\); not a name in "
        r"feed_sources; did you mean 'releases'\?",
        name,
    )
    assert re.search(
        r"index\.rst:6: .*not found.*write 'https://blog\.example\.org/feed\.xml'", host
    )
    assert re.search(
        r"index\.rst:8: .*not found.*separate sources with spaces, not commas: "
        r"'_feeds/news\.rss _feeds/releases\.atom'",
        comma,
    )
    assert re.search(r"index\.rst:10: .*write 'http://localhost:8000/feed\.xml'", port)
    assert re.search(r"index\.rst:12: WARNING: unknown :rel: link type 'sponsered', dropped", rel)
    assert re.search(r"index\.rst:15: .*'Releases' not found.*did you mean 'releases'\?", case)
    [kept] = placeholders(app, "index")
    assert kept["options"]["rel"] == "nofollow"


def test_a_missing_file_is_read_again_until_it_appears(project):
    typos = project("config-typos")
    (typos.srcdir / "index.rst").write_text(
        "Later\n=====\n\n.. feed:: _feeds/later.rss\n", encoding="utf-8"
    )
    typos.build()
    assert "feed source '_feeds/later.rss' not found" in typos.last_warnings
    (typos.srcdir / "_feeds/later.rss").write_bytes((typos.srcdir / "_feeds/news.rss").read_bytes())
    typos.build()
    assert warning_lines(typos.last_warnings) == []
    assert len(feeds_in(typos.output("index.html"))[0][0]) == 10


def test_an_unusable_named_entry_is_said_at_the_directive(project):
    typos = project("config-typos")
    (typos.srcdir / "index.rst").write_text("Bad\n===\n\n.. feed:: broken\n", encoding="utf-8")
    typos.build(confoverrides={"feed_sources": {"broken": {"link": "x.xml"}}})
    config_warning, directive_warning = warning_lines(typos.last_warnings)
    assert "feed_sources['broken'] = {'link': 'x.xml'} is not valid" in config_warning
    assert "entry ignored [feed.config]" in config_warning
    assert re.search(
        r"index\.rst:4: WARNING: feed source 'broken': its feed_sources entry", directive_warning
    )


def test_feed_sources_entry_values(project):
    typos = project("config-typos")
    sources = {
        "releases": {
            "url": "_feeds/releases.atom",
            "expire": "soon",
            "category": ["Major", "other"],
            "since": "100w",
            "rel": ["UGC", "bogus"],
            "more": "yes",
            "filter": "(unclosed",
        }
    }
    app = typos.build(confoverrides={"feed_sources": sources})
    warnings = [w for w in warning_lines(typos.last_warnings) if "feed_sources[" in w]
    assert len(warnings) == 3, warnings
    assert any("feed_sources['releases']['expire'] = 'soon' is not valid" in w for w in warnings)
    assert any("feed_sources['releases']['rel'] = ['UGC', 'bogus']" in w for w in warnings)
    assert any("feed_sources['releases']['filter'] = '(unclosed'" in w for w in warnings)
    assert get_settings(app).sources["releases"].defaults == {
        "category": ["Major", "other"],
        "since": 100 * 604800,
        "rel": "ugc",
        "more": True,
    }


def test_command_line_values_are_read_as_their_setting_expects(project):
    """``-D`` values (confoverrides) are strings: numbers and booleans are read from them."""
    typos = project("config-typos")
    (typos.srcdir / "index.rst").write_text("Cli\n===\n\n.. feed:: news\n", encoding="utf-8")
    overrides = {"feed_limit": "3", "feed_timeout": "2.5", "feed_offline": "off",
                 "feed_layout": "Compact", "feed_summary_length": "many", "feed_expire": "0",
                 "feed_concurrency": "1", "feed_as_of": "1"}  # fmt: skip
    app = typos.build(confoverrides=overrides)
    settings = get_settings(app)
    assert (settings.limit, settings.timeout, settings.offline) == (3, 2.5, False)
    assert (settings.expire, settings.concurrency, settings.as_of) == (0, 1, True)
    assert settings.layout == "compact"
    [warning] = warning_lines(typos.last_warnings)
    assert "feed_summary_length = 'many' is not valid" in warning  # no conf.py line: -D
    assert warning.startswith("WARNING:")
    assert len(feeds_in(typos.output("index.html"))[0][0]) == 3


def test_new_options_are_resolved(project, httpserver: HTTPServer):
    from sphinxcontrib_feed.settings.options import FeedOptions

    serve_feed(httpserver, "/news.rss", "news.rss")
    mixed = project("config-mixed")
    (mixed.srcdir / "one.rst").write_text(
        "One\n===\n\n.. feed:: releases\n   :more:\n   :searchable: no\n   :layout: Compact\n"
        "   :rel: external\n",
        encoding="utf-8",
    )
    app = mixed.build()
    assert warning_lines(mixed.last_warnings) == []
    [one] = placeholders(app, "one")
    options = one["options"]
    assert set(options) == set(FeedOptions.__annotations__)
    assert options["more"] is True
    assert options["searchable"] is False  # turns off the feed_searchable default
    assert options["layout"] == "compact"
    assert options["rel"] == "external"  # replaces feed_rel
    [two] = placeholders(app, "two")
    assert (two["options"]["more"], two["options"]["searchable"]) == (False, True)


def test_a_directory_or_fifo_is_not_a_feed_file(project):
    import os

    typos = project("config-typos")
    os.mkfifo(typos.srcdir / "_feeds/pipe.rss")
    (typos.srcdir / "index.rst").write_text(
        "Odd\n===\n\n.. feed:: _feeds\n\n.. feed:: _feeds/pipe.rss\n", encoding="utf-8"
    )
    typos.build()  # returns: the FIFO is never opened
    directory, fifo = warning_lines(typos.last_warnings)
    assert re.search(r"index\.rst:4: WARNING: feed file '_feeds' is not a regular file", directory)
    assert re.search(r"index\.rst:6: .*'_feeds/pipe\.rss' is not a regular file", fifo)
