"""Refresh: bring every source in use up to date, once per build.

Takes the sources the reading stage recorded and each one's record
(:class:`.reading.domain.SourceRecord`); decides per source what to do, as a
pure function (:mod:`.policy`); reads files and stored copies, hands requests
to the fetch stage's pool and judges the answers (:mod:`.sources`,
:mod:`.copies`, :mod:`.answers`), keeps parsed copies and snapshots
(:mod:`.store`), and gives each source's shown, finished feed to the
environment (:mod:`.update`), all in one owning thread. :mod:`.shape` turns
the shape of everything stored into the ``env_version``.
"""
