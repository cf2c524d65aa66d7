"""A build that reads no page finds its feed files as the last refresh settled them,
and stops there: the records stay packed (issue 20, a no-op as cheap as static pages).
Anything else that may change what a page shows refreshes as before."""

from __future__ import annotations

import os

from helpers import feeds_in

from sphinxcontrib_feed.reading.domain import get_feed_domain


def _records_loaded(app) -> bool:
    return get_feed_domain(app.env).records_loaded


def _touch(path) -> None:
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_no_op_reads_no_record_and_a_rewrite_reads_them_back(project):
    site = project("d2-merged")
    assert _records_loaded(site.build())  # the first build refreshes
    assert get_feed_domain(site.build().env).unchanged_files is not None
    assert not _records_loaded(site.build())  # the files are as settled: nothing read back
    assert "checking feeds: 2 fresh" in site.last_status

    # pages written again without being read (a theme setting): the records come back
    app = site.build(confoverrides={"html_title": "Another title"})
    assert _records_loaded(app)
    (items,), _ = feeds_in(site.output("index.html"))
    assert len(items) == 5 and "Another title" in site.output("index.html")


def test_a_changed_file_or_a_page_read_again_refreshes(project):
    site = project("d2-merged")
    site.build()
    _touch(site.srcdir / "_feeds" / "d2-site.json")  # same bytes, a new date: read again
    app = site.build()
    assert _records_loaded(app)
    assert get_feed_domain(app.env).unchanged_files is not None  # settled again

    os.utime(site.srcdir / "index.rst")  # read again: what it shows may have changed
    app = site.build()
    assert _records_loaded(app)
    assert not _records_loaded(site.build())


def test_a_page_whose_feed_file_is_missing_warns_on_every_build(project):
    site = project("d2-merged")
    (site.srcdir / "_feeds" / "d2-site.atom").unlink()
    for _ in range(2):  # the page is read again (its file may appear), the refresh runs
        app = site.build()
        assert _records_loaded(app)
        assert "d2-site.atom" in site.last_warnings
