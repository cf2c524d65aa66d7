"""Where a feed file lives is checked whenever it is read, not only when its page is."""

from __future__ import annotations

from helpers import FEEDS, warning_lines


def test_a_feed_file_swapped_for_a_link_outside_is_refused_by_an_incremental_build(
    project, tmp_path
):
    site = project("fresh")
    (site.srcdir / "index.rst").write_text(
        "Files\n=====\n\n.. feed:: _feeds/news.rss\n", encoding="utf-8"
    )
    site.build()
    assert warning_lines(site.last_warnings) == []
    outside = tmp_path / "outside.atom"
    outside.write_bytes((FEEDS / "releases.atom").read_bytes())
    feed = site.srcdir / "_feeds" / "news.rss"
    feed.unlink()
    feed.symlink_to(outside)

    site.build()  # incremental: index.rst is not read again
    [incremental] = warning_lines(site.last_warnings)
    assert "index.rst:4:" in incremental
    assert "'_feeds/news.rss' is outside the source directory" in incremental
    assert "Version" not in site.output("index.html").split("Files", 1)[1]  # releases.atom

    site.build(freshenv=True)
    [fresh] = warning_lines(site.last_warnings)
    assert "index.rst:4:" in fresh and "'_feeds/news.rss' is outside the source directory" in fresh
