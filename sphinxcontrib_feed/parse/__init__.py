"""Parse: a feed document's bytes as the :mod:`~sphinxcontrib_feed.model`.

Takes bytes and their HTTP headers; gives a :class:`~sphinxcontrib_feed.model.Feed`
(every item, unfinished) or raises :class:`~sphinxcontrib_feed.model.FeedParseError`.
:func:`.document.parse_index` is the entry point: bytes made safe XML first
(:mod:`.xmlencoding`, :mod:`.xmlsafe`, :mod:`.xmldepth`), then the fast mappers
(:mod:`.fastmap`, :mod:`.fastatom`) or feedparser, or :mod:`.jsonfeed`;
:mod:`.limits` bounds the work, :mod:`.htmlpage` explains a web page.
Never imports the fetch stage or the HTTP stack.
"""
