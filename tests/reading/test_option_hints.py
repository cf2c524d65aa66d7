"""Options written wrong get a located error that says what was meant; ``:more: TEXT``."""

from __future__ import annotations

import re

from helpers import warning_lines

from sphinxcontrib_feed.settings.options import FLAGS, OPTION_SPEC
from sphinxcontrib_feed.settings.typos import option_hint


def test_option_hint_messages():
    options = list(OPTION_SPEC)
    hint = option_hint("categories", "security", options, FLAGS, known=True)
    assert hint == (
        "the :categories: option takes no argument ('security' given); "
        "did you mean :category: security?"
    )
    assert option_hint("limt", "3", options, FLAGS, known=False) == (
        "unknown option :limt:; did you mean :limit:?"
    )
    assert option_hint("sumary-length", "9", options, FLAGS, known=False).endswith(
        "did you mean :summary-length:?"
    )
    assert option_hint("zzzzzz", None, options, FLAGS, known=False) == "unknown option :zzzzzz:"


def test_misused_options_are_located_errors_and_more_takes_a_text(project):
    site = project("option-hints")
    site.build()
    lines = warning_lines(site.last_warnings)
    assert any(
        re.search(r"index\.rst:4: ERROR: the :categories: option takes no argument "
                  r"\('security' given\); did you mean :category: security\?", line)
        for line in lines
    ), lines  # fmt: skip
    assert any(
        re.search(r"index\.rst:7: ERROR: unknown option :limt:; did you mean :limit:\?", line)
        for line in lines
    ), lines
    assert len(lines) == 2, lines
    page = site.output("index.html")
    more_text = re.search(r'more-text.*?<p class="feed-more">(.*?)</p>', page, re.S)
    assert more_text is not None
    assert (
        '>All the news<span class="feed-visually-hidden"> (opens in a new tab)</span></a>'
        in (more_text[1])
    )
    more_default = re.search(r'more-default.*?<p class="feed-more">(.*?)</p>', page, re.S)
    assert more_default is not None and ">More on Example News</a>" in more_default[1]
