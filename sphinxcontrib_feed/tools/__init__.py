"""Tools: the extension seen from outside a normal build.

Takes a source or a project directory; gives the ``sphinx-feed`` command
(:mod:`.cli`, and ``cache info|clear`` by :mod:`.cachetool`), the
``feedcheck`` builder (:mod:`.feedcheck`) and ``-b linkcheck`` handling
(:mod:`.linkcheck`). The top stage: it may use every other one.
"""
