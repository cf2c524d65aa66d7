"""When the render post-transforms run: one place for the stand-ins in :mod:`.hooks`
and the renderers they load, so neither imports the other to agree."""

from __future__ import annotations

#: The feed and ``:feed-latest:`` placeholders become nodes: before any per-builder polish.
RENDER = 100
#: Feed text pdflatex can typeset, once the nodes exist.
LATEX_TEXT = 110
#: ``.tex`` lines TeX can read, after LATEX_TEXT (its math pieces count too).
LATEX_LINES = 120
#: The builders the LaTeX post-transforms are for.
LATEX_BUILDERS = ("latex",)
