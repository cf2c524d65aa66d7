"""The layout holds at import time: parsing and rendering load no HTTP code.

Each module is imported in a fresh interpreter, so nothing another test
loaded can hide (or fake) an import. The static side of the same rules is
in ``pyproject.toml`` (``lint-imports``); this is what a build really loads.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from helpers import TESTS

PACKAGE = TESTS.parent / "sphinxcontrib_feed"

#: Never loaded by parsing or rendering: the HTTP stack, and the fetch stage itself.
HTTP = ("requests", "requests_cache", "urllib3", "redis")
FETCH_STAGE = "sphinxcontrib_feed.fetch"

PROBE = """
import json, sys
import {module}
print(json.dumps(sorted(sys.modules)))
"""


def _module_name(path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _defines_post_transform(path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                if name.endswith("PostTransform"):
                    return True
    return False


POST_TRANSFORMS = sorted(
    _module_name(path) for path in PACKAGE.rglob("*.py") if _defines_post_transform(path)
)


def _loaded_by(module: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True, text=True, timeout=120, check=True, cwd=TESTS.parent,
    )  # fmt: skip
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def _http_or_fetch(loaded: list[str]) -> list[str]:
    return [
        name
        for name in loaded
        if name.split(".")[0] in HTTP or name == FETCH_STAGE or name.startswith(FETCH_STAGE + ".")
    ]


def test_every_post_transform_is_found():
    # the renderer's, man pages', pdflatex's and linkcheck's: a new one joins by itself
    assert len(POST_TRANSFORMS) >= 4
    assert "sphinxcontrib_feed.render.transform" in POST_TRANSFORMS


@pytest.mark.parametrize("module", ["sphinxcontrib_feed.parse.document", *POST_TRANSFORMS])
def test_parsing_and_rendering_load_no_http_code(module):
    loaded = _loaded_by(module)
    assert module in loaded
    assert _http_or_fetch(loaded) == []


def test_the_probe_sees_the_http_stack_where_it_is_loaded():
    # the check above is not vacuous: the fetch stage's inflight module imports requests
    found = _http_or_fetch(_loaded_by("sphinxcontrib_feed.fetch.inflight"))
    assert {"requests", "urllib3", FETCH_STAGE + ".inflight"} <= set(found)
