"""The test suite on each supported set of versions: ``nox`` runs all four.

- ``oldest``: Python 3.11, Sphinx 8.1.3, docutils 0.21.2, and every runtime
  dependency at the minimum pyproject.toml declares (so a minimum is only
  ever a version the suite has passed on).
- ``sphinx82``: Python 3.12 and Sphinx 8.2.3 (with docutils 0.21).
- ``sphinx90``: Python 3.11 and the newest Sphinx 9.0 with docutils 0.22
  (Sphinx 9.1 and later need Python 3.12).
- ``newest``: Python 3.13 and the newest release of everything.

Each session installs with uv, runs the whole suite, and builds the example
project with ``-W``. ``.ci/run`` runs all four.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["oldest", "sphinx82", "sphinx90", "newest"]

ROOT = Path(__file__).parent


def declared_minimums() -> list[str]:
    """``name==X`` for every ``name>=X`` among pyproject's runtime dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*>=\s*([^,;\s]+).*", requirement)
        if match is None:
            raise ValueError(f"{requirement!r} declares no minimum")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def interpreter(version: str) -> str:
    """A Python *version* that runs: from PATH, else from pyenv's versions.

    pyenv puts a ``python3.12`` shim on PATH that fails unless 3.12 is a
    global version; its installs are still there, in ``$(pyenv root)/versions``.
    """
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    installed = sorted(root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
    for candidate in [shutil.which(f"python{version}"), *map(str, installed)]:
        if candidate and subprocess.run([candidate, "-c", ""], check=False).returncode == 0:
            return candidate
    return version  # nox reports it missing


def _suite(session: nox.Session, *constraints: str) -> None:
    pins = ROOT / ".nox" / f"{session.name}-constraints.txt"
    pins.parent.mkdir(exist_ok=True)
    pins.write_text("".join(f"{pin}\n" for pin in constraints), encoding="utf-8")
    session.install("-c", str(pins), "-e", ".[test]")
    session.run("python", "-c", _VERSIONS)
    session.run("python", "-m", "pytest", *session.posargs)
    session.run(
        "python", "-m", "sphinx", "-W", "-q", "-E", "-b", "html",
        "example_project", f"{session.create_tmp()}/example-html",
    )  # fmt: skip


_VERSIONS = (
    "import sys, importlib.metadata as m; print(', '.join(['Python ' + sys.version.split()[0]] + ["
    "f'{d} {m.version(d)}' for d in ('sphinx', 'docutils', 'feedparser', 'lxml', 'requests',"
    " 'requests-cache', 'nh3', 'babel', 'google-re2', 'myst-parser')]))"
)


@nox.session(python=interpreter("3.11"))
def oldest(session: nox.Session) -> None:
    _suite(session, *declared_minimums())


@nox.session(python=interpreter("3.12"))
def sphinx82(session: nox.Session) -> None:
    _suite(session, "sphinx==8.2.3")


@nox.session(python=interpreter("3.11"))
def sphinx90(session: nox.Session) -> None:
    _suite(session, "sphinx>=9.0,<9.1", "docutils>=0.22,<0.23")


@nox.session(python=interpreter("3.13"))
def newest(session: nox.Session) -> None:
    _suite(session)
