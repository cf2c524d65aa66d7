"""Refresh: bring every source in use up to date, once per build.

Takes the sources the reading stage recorded and what the environment knows
of each (:mod:`.answers`); decides per source whether to ask the network
(:mod:`.sources`), fetches (the fetch stage) and parses (the parse stage),
keeps parsed copies and snapshots (:mod:`.store`), and gives each source's
shown, finished feed to the environment (:mod:`.update`). Requests may start
while pages are still read (:mod:`.prefetch`). :mod:`.shape` turns the shape
of everything stored into the ``env_version``.
"""
