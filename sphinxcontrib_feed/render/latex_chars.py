"""Character tables for :mod:`.latex_text`.

:data:`PDFLATEX` lists the code points that pdflatex typesets with Sphinx's
default preamble: those declared by ``utf8.def`` and the ``*enc.dfu`` files
of the encodings it loads (OT1, T1, TS1, OMS; TeX Live 2023+), read from
those files, plus Sphinx's own declarations and escapes (taken from Sphinx
itself, so they follow its version). :data:`CYRILLIC` is ``t2aenc.dfu``.
"""

from __future__ import annotations

from sphinx.util.texescape import tex_replacements, unicode_tex_replacements


def _code_points(ranges: str) -> frozenset[int]:
    points: set[int] = set()
    for span in ranges.split():
        first, _, last = span.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


_DECLARED = """
00A0-0125 0128-0137 0139-013E 0141-0148 014A-0165 0168-017E 0192 01C4-01D4 01E2-01E3
01E6-01EB 01F0 01F4-01F5 0218-021B 0232-0233 0237 02C6-02C7 02D8-02D9 02DB-02DD 0E3F
1E02-1E03 1E0D 1E1E-1E21 1E25 1E30-1E31 1E37 1E43 1E45 1E47 1E5B 1E63 1E6D 1E8E-1E91
1E9E 1EF2-1EF3 200C 2010-2016 2018-201A 201C-201E 2020-2022 2026 2030-2031 2039-203B
203D 2044 204E 2052 20A1 20A4 20A6 20A9 20AB-20AC 20B1 2103 2116-2117 211E 2120 2122
2126-2127 212E 2190-2193 2329-232A 2422-2423 25E6 25EF 266A 27E8-27E9 3008-3009
FB00-FB06 FEFF
"""
#: Sphinx's ``utf8extra`` preamble key for pdflatex.
_SPHINX_DECLARED = "00A0 2500 2502 2514 251C 2572"

PDFLATEX: frozenset[int] = (
    _code_points(_DECLARED)
    | _code_points(_SPHINX_DECLARED)
    | {ord(char) for char, _ in (*tex_replacements, *unicode_tex_replacements) if ord(char) > 0x7F}
)

CYRILLIC: frozenset[int] = _code_points(
    "0400-045F 0490-0493 0496-049D 04A0-04A5 04AA-04AB 04AE-04B3 04B6-04BB 04C0-04C2"
    " 04D0-04DF 04E2-04E9 04EC-04F5 04F8-04F9"
)

#: Greek with the LGR encoding (Sphinx's ``textgreek``): the modern alphabet.
GREEK: frozenset[int] = _code_points("0386 0388-038A 038C 038E-03A1 03A3-03CE")

#: Plain-text stand-ins, used everywhere (also in code).
TEXT: dict[str, str] = {
    "\u2212": "-", "\u2043": "-", "\u2027": "\u00b7", "\u2219": "\u00b7", "\u2217": "*",
    "\u2215": "/", "\u2223": "|", "\u2236": ":", "\u223c": "~", "\u2032": "'",
    "\u2033": "''", "\u2035": "`", "\u201b": "'", "\u201f": '"', "\u275b": "'",
    "\u275c": "'", "\u275d": '"', "\u275e": '"', "\u25cf": "\u2022", "\u25aa": "\u2022",
    "\u25b8": ">", "\u25ba": ">", "\u2794": "\u2192", "\u279c": "\u2192", "\u27a1": "\u2192",
    "\u2717": "\u00d7", "\u2718": "\u00d7", "\u2606": "*", "\u2731": "*",
    # Greek capitals that look like Latin ones
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X", "\u03bf": "o",
}  # fmt: skip

#: LaTeX math for Greek letters and common symbols (amsmath and amssymb,
#: which Sphinx loads), used outside code.
MATH: dict[str, str] = {
    char: rf"\({command}\)"
    for char, command in {
        "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
        "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa",
        "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho",
        "ς": r"\varsigma", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi",
        "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "ϑ": r"\vartheta", "ϕ": r"\phi",
        "ϵ": r"\epsilon", "ϱ": r"\varrho", "ϖ": r"\varpi",
        "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi",
        "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
        "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv",
        "∼": r"\sim", "≃": r"\simeq", "≅": r"\cong", "∝": r"\propto", "≪": r"\ll",
        "≫": r"\gg", "∈": r"\in", "∉": r"\notin", "∋": r"\ni", "∀": r"\forall",
        "∃": r"\exists", "∄": r"\nexists", "∅": r"\emptyset", "∑": r"\sum", "∏": r"\prod",
        "∐": r"\coprod", "√": r"\surd", "∂": r"\partial", "∇": r"\nabla", "∫": r"\int",
        "∮": r"\oint", "∧": r"\wedge", "∨": r"\vee", "∩": r"\cap", "∪": r"\cup",
        "⊂": r"\subset", "⊃": r"\supset", "⊆": r"\subseteq", "⊇": r"\supseteq",
        "⊕": r"\oplus", "⊗": r"\otimes", "⊥": r"\perp", "∥": r"\parallel", "∠": r"\angle",
        "∓": r"\mp", "⋅": r"\cdot", "∘": r"\circ", "∗": r"\ast", "⋆": r"\star",
        "★": r"\bigstar", "∴": r"\therefore", "∵": r"\because", "ℓ": r"\ell",
        "ℵ": r"\aleph", "ℏ": r"\hbar", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
        "ℚ": r"\mathbb{Q}", "ℝ": r"\mathbb{R}", "ℂ": r"\mathbb{C}", "⇒": r"\Rightarrow",
        "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↔": r"\leftrightarrow",
        "↦": r"\mapsto", "⟶": r"\longrightarrow", "⟵": r"\longleftarrow", "↗": r"\nearrow",
        "↘": r"\searrow", "⊢": r"\vdash", "⊨": r"\models", "⊤": r"\top", "□": r"\square",
        "◇": r"\Diamond", "△": r"\triangle", "♠": r"\spadesuit", "♥": r"\heartsuit",
        "♦": r"\diamondsuit", "♣": r"\clubsuit", "⌈": r"\lceil", "⌉": r"\rceil",
        "⌊": r"\lfloor", "⌋": r"\rfloor", "∖": r"\setminus", "≺": r"\prec", "≻": r"\succ",
    }.items()
}  # fmt: skip

#: Cyrillic to Latin (a simple scholarly scheme), where the fonts have no Cyrillic.
TRANSLITERATION: dict[str, str] = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяґєіїўђјљњћџѓќѕ",
        [
            "a", "b", "v", "g", "d", "e", "ë", "zh", "z", "i", "j", "k", "l", "m", "n", "o",
            "p", "r", "s", "t", "u", "f", "kh", "c", "ch", "sh", "shch", '"', "y", "'", "è",
            "ju", "ja", "g", "je", "i", "ji", "u", "dj", "j", "lj", "nj", "ć", "dz", "ǵ", "ḱ",
            "dz",
        ],
        strict=True,
    )
)  # fmt: skip
