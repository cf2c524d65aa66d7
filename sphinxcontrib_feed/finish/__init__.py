"""Finish: the items a page shows, picked and made safe.

Takes a parsed feed and the selections of the directives that show it
(:mod:`.select`); gives those items only, with safe URLs and sanitized HTML
(:mod:`.sanitize`, :mod:`.shown`), ready to be stored in the environment.
"""
