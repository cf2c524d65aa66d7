"""Reading: the ``feed`` directive while Sphinx reads the pages.

Takes a directive's arguments and options (and the settings); gives a
placeholder node per directive (:mod:`.nodes`), and records in the build
environment which page uses which sources with which selection
(:mod:`.domain`). It does no I/O; the refresh stage reads the record after
reading (``env-updated``).
"""
