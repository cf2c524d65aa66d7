"""The feed domain among other domains: MyST links, strict builds, no targets of its own."""

from __future__ import annotations

import pytest
from helpers import warning_lines

from sphinxcontrib_feed.reading.domain import FeedDomain


@pytest.mark.parametrize("buildername", ["html"])
def test_myst_links_to_python_objects_pass_a_strict_nitpicky_build(project, buildername):
    """MyST asks every domain to resolve a Markdown link: ours answers "not mine"."""
    myst = project("d2-myst-xref")
    app = myst.build(buildername, warningiserror=True)  # sphinx-build -W -n (nitpicky in conf)
    assert warning_lines(myst.last_warnings) == []
    assert app.statuscode == 0
    out = myst.output("index.html" if buildername == "html" else "index.txt", buildername)
    assert "Release note" in out  # the feed is there
    if buildername == "html":
        assert 'href="#mymod.myfunc"' in out  # the link went to the Python domain's target


def test_the_domain_owns_no_targets(project):
    myst = project("d2-myst-xref")
    app = myst.build("html")
    domain = app.env.get_domain("feed")
    assert isinstance(domain, FeedDomain)
    assert list(domain.get_objects()) == []
    node = app.env.get_doctree("index")
    args = (app.env, "index", app.builder, "mymod.myfunc", None, node)
    assert domain.resolve_any_xref(*args) == []
    assert domain.resolve_xref(app.env, "index", app.builder, "any", "x", None, node) is None
    assert domain.get_full_qualified_name(node) is None
