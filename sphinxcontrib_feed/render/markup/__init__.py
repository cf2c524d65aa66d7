"""Rich summaries: a sanitized HTML fragment as generic docutils body nodes.

Takes the sanitized HTML of an item (:func:`.finish.sanitize.clean_html`) and
gives stock docutils nodes every builder can write. :mod:`.convert` is the
entry point (:func:`~.convert.html_to_nodes`); :mod:`.truncate` cuts the
result short; the other modules are its parts.
"""
