"""Settings: what the author asked for, read once and checked.

Takes the ``feed_*`` values of ``conf.py`` (:mod:`.config`, :mod:`.checks`)
and each directive's options (:mod:`.options`, :mod:`.patterns`); gives one
frozen :class:`.resolved.Settings` per build, normalised options, and a
``feed.config`` warning (with a likely meant name, :mod:`.typos`) for each bad value.
The lowest stage: every other one reads settings; it reads none of them.
"""
