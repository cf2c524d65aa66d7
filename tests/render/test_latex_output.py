"""PDF builds survive any character a feed carries (pdflatex), and xelatex gets them all."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from sphinxcontrib_feed.render.latex_chars import MATH, PDFLATEX, TEXT, TRANSLITERATION
from sphinxcontrib_feed.render.latex_lines import LINE, break_text
from sphinxcontrib_feed.render.latex_text import Rewriter, ascii_uri
from sphinxcontrib_feed.render.latex_text import typesettable as typesettable_for

REWRITE = Rewriter(PDFLATEX)


def typesettable(text: str) -> bool:
    return all(ord(char) < 0x80 or ord(char) in PDFLATEX for char in text)


def test_every_stand_in_can_be_typeset():
    assert all(typesettable(value) for value in TEXT.values())
    assert all(typesettable(value) for value in TRANSLITERATION.values())
    assert all(value.isascii() for value in MATH.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks 🙏 all", ["Thanks ? all"]),
        ("family 👨\u200d👩\u200d👧🏽\ufe0f!", ["family ?!"]),  # one run, one "?"
        ("hair\u200aspace\u3000ideographic\u202fnarrow", ["hair space ideographic narrow"]),
        ("zero\u200bwidth\u2060joiner", ["zerowidthjoiner"]),
        ("日本語のタイトル 中文", ["? ?"]),
        ("Ça déjà vu, Łódź, Ærø, naïve ﬁne", ["Ça déjà vu, Łódź, Ærø, naïve ﬁne"]),
        ("Việt ① Ａ", ["Viet 1 A"]),
        ("e\u0301", ["é"]),  # combined first
        ("−1 ′", ["-1 '"]),
        ("Привет, мир", ["Privet, mir"]),
        ("a ≠ b", ["a ", r"\(\neq\)", " b"]),  # never "a = b"
        ("α-helix", [r"\(\alpha\)", "-helix"]),
    ],
)
def test_rewriting(text: str, expected: list[str]):
    assert REWRITE(text) == expected
    assert all(typesettable(part) for part in REWRITE(text, math=False))


def test_code_gets_no_math():
    assert REWRITE("∑ α ≠", math=False) == ["? ? ?"]


def test_every_code_point_comes_out_typesettable():
    """The whole Basic Multilingual Plane and the emoji planes, in code and in text."""
    chars = [chr(c) for c in range(0x80, 0x20000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(chars), 2000):
        text = "".join(chars[start : start + 2000])
        assert all(typesettable(p) for p in REWRITE(text, math=False))
        assert all(typesettable(p) or p in MATH.values() for p in REWRITE(text))


def test_non_ascii_link_targets_are_percent_encoded():
    assert ascii_uri("https://bücher.example/ü?q=日#ä") == (
        "https://xn--bcher-kva.example/%C3%BC?q=%E6%97%A5#%C3%A4"
    )
    assert ascii_uri("https://example.org/a%20b?x=1&y=2") == "https://example.org/a%20b?x=1&y=2"


def _feed_part(tex: str) -> str:
    return tex[
        tex.index(r"\label{\detokenize{index::doc}}") : tex.index(r"\renewcommand{\indexname}")
    ]


def test_pdflatex_tex_holds_only_characters_the_preamble_declares(project):
    site = project("d2-latex")
    site.build("latex")
    tex = site.output("feedchars.tex", "latex")
    part = _feed_part(tex)
    assert [c for c in part if not typesettable(c)] == []
    assert "Thank you ? (U+1F64F) and a family ?" in part
    assert "Hair space, thin space, zerowidth" in part
    assert r"Math: \(\sum\) x \(\leq\) \(\infty\)" in part
    assert "Cyrillic: Privet, mir" in part
    assert "Accented Latin: Ça déjà vu, Łódź, Ærøskøbing" in part
    assert r"https://unicode.example/0/\%C3\%BCn\%C3\%AFcode-0" in part


def test_xelatex_gets_every_character_unchanged(project):
    site = project("d2-latex")
    site.build("latex", confoverrides={"latex_engine": "xelatex"})
    part = _feed_part(site.output("feedchars.tex", "latex"))
    for text in ("🙏", "\u200a", "日本語のタイトル", "∑ x ≤", "αβγ", "Привет", "Việt Nam"):
        assert text in part


def test_pdflatex_makes_a_pdf(project):
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        pytest.skip("latexmk and pdflatex are not installed (.ci/run installs TeX Live)")
    site = project("d2-latex")
    site.build("latex")
    outdir = site.srcdir / "_build" / "latex"
    made = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error",
         "feedchars.tex"],
        cwd=outdir, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    log = (outdir / "feedchars.log").read_text(encoding="utf-8", errors="replace")
    assert made.returncode == 0, log[-3000:]
    assert "LaTeX Error" not in log
    assert (outdir / "feedchars.pdf").stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "feedchars.pdf", "-"],
            cwd=outdir, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        assert "Thank you ? (U+1F64F)" in text
        assert "Privet, mir" in text
        assert "Ça déjà vu" in text


class FakeBabel:
    def __init__(self, cyrillic: bool) -> None:
        self.cyrillic = cyrillic

    def uses_cyrillic(self) -> bool:
        return self.cyrillic


class FakeBuilder:
    def __init__(self, cyrillic: bool = False, **context: str) -> None:
        self.babel = FakeBabel(cyrillic)
        self.context = {"fontenc": r"\usepackage[T1]{fontenc}", **context}


def test_the_preamble_decides_what_is_kept():
    assert ord("П") not in typesettable_for(FakeBuilder())
    assert ord("П") in typesettable_for(FakeBuilder(cyrillic=True))
    assert ord("П") in typesettable_for(FakeBuilder(fontenc=r"\usepackage[T2A,T1]{fontenc}"))
    assert ord("α") in typesettable_for(FakeBuilder(fontenc=r"\usepackage[LGR,T1]{fontenc}"))
    declared = FakeBuilder(preamble=r"\DeclareUnicodeCharacter{1F64F}{\emoji{pray}}")
    assert ord("🙏") in typesettable_for(declared)
    assert Rewriter(typesettable_for(declared))("Thanks 🙏") == ["Thanks 🙏"]


# -- issue 17: no .tex line longer than TeX's input buffer --------------------------


@pytest.mark.parametrize(
    "text",
    ["word " * 3000, "x" * 10_000, ("y" * 5000 + " ") * 3, "a\n" + "b" * 9000, "short"],
)
@pytest.mark.parametrize("run", [0, 10, LINE - 1, LINE + 5])
def test_long_text_is_broken_into_lines_tex_can_read(text: str, run: int):
    pieces, after = break_text(text, run)
    lines = "\n".join(pieces).split("\n")
    assert all(len(line) <= LINE for line in lines[1:])
    assert len(lines[0]) + run <= LINE or len(lines[0]) == 0 or len(text) + run <= LINE
    # nothing lost: where a line ends, a space became a newline, or a word was split
    assert "".join(pieces).replace("\n", " ") == text.replace("\n", " ")
    assert after <= LINE
