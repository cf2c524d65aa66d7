"""Render: at write time, each placeholder becomes the feed's items as generic nodes.

Takes the placeholder nodes of a doctree and the finished feeds in the
environment; gives stock docutils nodes every builder can write
(:mod:`.transform`, one item by :mod:`.items`, rich summaries by
:mod:`.markup`), and the builder-specific polish: HTML and EPUB
(:mod:`.writers`), pdflatex (:mod:`.latex_text`), man pages (:mod:`.manpage`).
"""
