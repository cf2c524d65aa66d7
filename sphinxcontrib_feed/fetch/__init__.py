"""Fetch: a source's bytes, over HTTP or from a file, within hard limits.

Takes a URL or a path and the settings; gives a :class:`.fetcher.Fetched`
(the bytes and the freshness headers) or raises
:class:`~sphinxcontrib_feed.errors.FetchError`. :mod:`.pool` runs requests in
worker threads that only fetch; :mod:`.inflight` bounds each exchange and
stops them all; :mod:`.httpcache` keeps the last good copy of every URL. The
only stage that imports ``requests``, ``requests_cache`` or ``redis``.
"""
