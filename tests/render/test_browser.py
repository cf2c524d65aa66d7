"""The stylesheet in a real browser: every supported theme, light and dark, on a phone.

Each theme builds ``roots/test-themes`` once; a headless Chromium (Debian's
``chromium`` driven through ``chromedriver`` by Selenium, never a downloaded
browser) loads the page from a local HTTP server that also serves the feed
images, 360 CSS pixels wide, and checks that:

* nothing overflows horizontally: every box of every feed fits in the
  viewport, and the feeds do not make the page scroll sideways (no more than
  the theme itself: pydata-sphinx-theme's header is wider than 360 px);
* the text of the items (titles, dates, authors, summaries, categories,
  captions, notes) contrasts with what is behind it by at least 4.5:1
  (WCAG 2 AA), with the theme in light and, where it has one, dark mode
  (from the system's preference and from the theme's switcher). Links keep
  the theme's link colour, so they need only be as readable as the theme's
  own links (sphinx-rtd-theme's blue is 4.2:1), and never below 3:1;
* card borders stay visible;
* no image is distorted (its box keeps the natural aspect ratio) or shown
  larger than twice its natural size: a 60 px avatar stays an icon;
* headings inside summaries never outrank the item's title (font size and
  weight at most the title's);
* compact lists start every title at the same x, whatever the width of the
  date before it; cards in a row start their titles at the same y, with or
  without an image.

Screenshots of every case are saved under the test's tmp dir. ``.ci/run``
installs Chromium; elsewhere these tests skip with the reason.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import shutil
import threading
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import FEEDS, TESTS, skip_if_the_theme_refuses_this_sphinx, warning_lines
from sphinx.testing.util import SphinxTestApp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not CHROMIUM or not CHROMEDRIVER:
    pytest.skip(
        "needs Debian's chromium and chromium-driver on PATH "
        "(apt-get install chromium chromium-driver; .ci/run does this)",
        allow_module_level=True,
    )

WIDTH = 360  # CSS pixels: a small phone
HEIGHT = 800
DESKTOP_WIDTH = 1280  # where cards share rows
GALLERY_WIDTH = 1024  # the screenshots in the docs' gallery
#: (theme, mode): "light" and "dark" are the colour scheme the system prefers (the themes
#: follow it by default); "dark-switch" is dark chosen with the theme's own switcher on a
#: light system. Alabaster and sphinx-rtd-theme have no dark mode.
CASES = [
    ("alabaster", "light"),
    ("furo", "light"),
    ("furo", "dark"),
    ("furo", "dark-switch"),
    ("pydata_sphinx_theme", "light"),
    ("pydata_sphinx_theme", "dark"),
    ("pydata_sphinx_theme", "dark-switch"),
    ("sphinx_rtd_theme", "light"),
]
#: Where the switchers keep the choice: furo "theme"; pydata-sphinx-theme "mode" and "theme".
SWITCH_DARK_JS = """
localStorage.clear();
if (arguments[0]) { localStorage.setItem("theme", "dark"); localStorage.setItem("mode", "dark"); }
"""
#: Minimum contrast of every kind of item text (WCAG 2 AA for normal-sized text).
MIN_CONTRAST = 4.5
#: Links keep the theme's colour: as readable as the theme's own links, and never below this.
MIN_LINK_CONTRAST = 3.0
#: Parts of an item whose text is checked, and the elements that hold it.
TEXT_PARTS = {
    "caption": ".feed-caption",
    "title": ".feed-title",
    "date": ".feed-date",
    "author": ".feed-author",
    "summary": ".feed-summary",
    "category": ".feed-category",
    "note": ".feed-note",
}

WIDE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400" viewBox="0 0 1200 400">'
    '<rect width="1200" height="400" fill="#3b6ea5"/>'
    '<circle cx="600" cy="200" r="150" fill="#f2c14e"/></svg>'
)
AVATAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60">'
    '<rect width="60" height="60" fill="#8a5a9c"/><circle cx="30" cy="24" r="12" fill="#fff"/>'
    "</svg>"
)
TALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="900" viewBox="0 0 300 900">'
    '<rect width="300" height="900" fill="#a55b3b"/></svg>'
)
#: Fixture feeds whose image URLs name the local server.
IMAGE_FEEDS = ("wide.rss", "c2-avatars.rss", "a11y.rss")
#: Selectors of the headings inside summaries (rubrics; C1's markup may add real h2-h6).
SUMMARY_HEADINGS = ".feed-summary .rubric, .feed-summary h1, .feed-summary h2, " + (
    ".feed-summary h3, .feed-summary h4, .feed-summary h5, .feed-summary h6"
)
#: An image may be drawn at most this many times its natural size.
MAX_UPSCALE = 2.0
SQUARE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">'
    '<rect width="600" height="600" fill="#5a9367"/>'
    '<rect x="150" y="150" width="300" height="300" fill="#eeeeee"/></svg>'
)

# Everything the checks need, measured in the page. Colours are normalised to
# sRGB bytes through a canvas, so any CSS colour syntax (color-mix, oklch...) works.
MEASURE_JS = """
const parts = arguments[0];
const canvas = document.createElement("canvas");
canvas.width = canvas.height = 1;
const ctx = canvas.getContext("2d", {willReadFrequently: true});
function rgba(css) {
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = "rgba(0, 0, 0, 0)";
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2], d[3] / 255];
}
function visible(el) {
  const style = getComputedStyle(el);
  return el.getClientRects().length > 0 && style.visibility !== "hidden";
}
function ownText(el) {
  return Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim());
}
// From the element up to the root: background colour and opacity of each box.
function chain(el) {
  const out = [];
  for (let e = el; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    out.push({bg: rgba(style.backgroundColor), opacity: parseFloat(style.opacity)});
  }
  return out;
}
function describe(el) {
  const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
  const text = JSON.stringify((el.textContent || "").trim().slice(0, 40));
  return [el.tagName.toLowerCase(), ...classes.filter(Boolean)].join(".") + " " + text;
}
function sample(el) {
  return {
    what: describe(el),
    link: el.closest("a") !== null,
    color: rgba(getComputedStyle(el).color),
    chain: chain(el),
  };
}
const texts = {};
for (const [part, selector] of Object.entries(parts)) {
  texts[part] = [];
  for (const top of document.querySelectorAll(".feed-block " + selector)) {
    for (const el of [top, ...top.querySelectorAll("*")]) {
      if (!visible(el) || !ownText(el)) continue;
      texts[part].push(sample(el));
    }
  }
}
// Boxes that stick out of the viewport, unless an ancestor inside the feed clips
// or scrolls them (a wide <pre> scrolls in its own box, which is fine).
const vw = window.innerWidth;
const overflowing = [];
for (const feed of document.querySelectorAll(".feed-block")) {
  for (const el of [feed, ...feed.querySelectorAll("*")]) {
    if (!visible(el)) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== feed.parentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") { clipped = true; break; }
    }
    if (clipped) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -0.5 || r.right > vw + 0.5) {
      overflowing.push(describe(el) + " [" + r.left.toFixed(1) + ", " + r.right.toFixed(1) + "]");
    }
  }
}
const borders = [];
for (const card of document.querySelectorAll(".feed-cards .feed-item")) {
  const style = getComputedStyle(card);
  borders.push({color: rgba(style.borderTopColor), chain: chain(card.parentElement)});
}
const shown = Array.from(document.querySelectorAll(".feed-block img")).filter(visible);
const images = shown.map(img => ({
  what: describe(img) + " " + img.currentSrc.split("/").pop(),
  thumbnail: img.classList.contains("feed-image"),
  loaded: img.complete && img.naturalWidth > 0,
  naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
  width: img.clientWidth, height: img.clientHeight,
  fit: getComputedStyle(img).objectFit,
}));
// headings inside summaries, against their item's title
const headings = [];
for (const heading of document.querySelectorAll(arguments[1])) {
  const title = heading.closest(".feed-item").querySelector(".feed-title");
  const h = getComputedStyle(heading), t = getComputedStyle(title);
  headings.push({
    what: describe(heading),
    size: parseFloat(h.fontSize), weight: parseInt(h.fontWeight),
    titleSize: parseFloat(t.fontSize), titleWeight: parseInt(t.fontWeight),
  });
}
// x of every title of each compact list; y of every card title, by row
const compact = Array.from(document.querySelectorAll(".feed-compact .feed-items")).map(
  list => Array.from(list.querySelectorAll(".feed-title")).map(
    title => title.getBoundingClientRect().left));
const cardRows = [];
for (const list of document.querySelectorAll(".feed-cards .feed-items")) {
  const rows = {};
  for (const card of list.querySelectorAll(":scope > .feed-item")) {
    const top = Math.round(card.getBoundingClientRect().top);
    const title = card.querySelector(".feed-title").getBoundingClientRect();
    (rows[top] = rows[top] || []).push(Math.round((title.top - top) * 10) / 10);
  }
  cardRows.push(...Object.values(rows));
}
// How wide the theme makes the page by itself: the same page without the feeds.
const feeds = Array.from(document.querySelectorAll(".feed-block"));
const scrollWidth = document.documentElement.scrollWidth;
feeds.forEach(feed => { feed.style.display = "none"; });
const themeScrollWidth = document.documentElement.scrollWidth;
feeds.forEach(feed => { feed.style.display = ""; });
return {
  innerWidth: window.innerWidth,
  scrollWidth, themeScrollWidth,
  page: chain(document.body),
  feeds: document.querySelectorAll(".feed-block").length,
  items: document.querySelectorAll(".feed-block .feed-item").length,
  texts, overflowing, borders, images, headings, compact, cardRows,
  // the theme's own body text and links, outside any feed
  themeText: sample(document.querySelector(".theme-reference")),
  themeLink: sample(document.querySelector(".theme-reference a")),
};
"""

# Lazy images below the fold would not load in a screenshot-less check: load them all.
LOAD_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.querySelectorAll("img"));
images.forEach(img => { img.loading = "eager"; });
Promise.all(images.map(img => img.decode().catch(() => null))).then(() => done(true));
"""


# --- colour arithmetic (WCAG 2) ---------------------------------------------


def _over(top: list[float], bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    """*top* (r, g, b, alpha) composited over the opaque colour *bottom*."""
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def background(chain: list[dict[str, Any]]) -> tuple[float, float, float]:
    """What is painted behind the first box of *chain*: its ancestors' backgrounds, on white."""
    colour: tuple[float, float, float] = (255.0, 255.0, 255.0)  # the canvas of an unstyled page
    for box in reversed(chain):
        colour = _over(box["bg"], colour)
    return colour


def text_contrast(sample: dict[str, Any]) -> float:
    """Contrast of a text sample, its colour faded by its own and its ancestors' opacity."""
    chain = sample["chain"]
    behind = background(chain)
    alpha = sample["color"][3]
    for box in chain:
        if box["bg"][3] > 0:  # the box that paints the background fades along with the text
            break
        alpha *= box["opacity"]
    return contrast(_over([*sample["color"][:3], alpha], behind), behind)


def test_contrast_arithmetic() -> None:
    white, black = (255.0, 255.0, 255.0), (0.0, 0.0, 0.0)
    assert contrast(white, black) == pytest.approx(21)
    assert contrast((118.0, 118.0, 118.0), white) == pytest.approx(4.54, abs=0.01)
    page = [{"bg": [0, 0, 0, 0], "opacity": 0.5}, {"bg": [255, 255, 255, 1], "opacity": 1}]
    assert text_contrast({"color": [0, 0, 0, 1], "chain": page}) == pytest.approx(3.98, abs=0.01)


# --- the site, the browser ----------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1 (the built pages, the feed images)."""
    root = tmp_path_factory.mktemp("site")
    (root / "images").mkdir()
    (root / "images" / "wide.svg").write_text(WIDE_SVG, encoding="utf-8")
    (root / "images" / "square.svg").write_text(SQUARE_SVG, encoding="utf-8")
    (root / "images" / "avatar.svg").write_text(AVATAR_SVG, encoding="utf-8")
    (root / "images" / "tall.svg").write_text(TALL_SVG, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def build(site: tuple[Path, str]) -> Callable[[str], str]:
    """``build(theme)``: the URL of ``roots/test-themes`` built with *theme* (once per theme)."""
    root, base = site
    built: dict[str, str] = {}

    def make(theme: str) -> str:
        if importlib.util.find_spec(theme) is None:
            pytest.skip(f"the {theme} theme is not installed (pip install -e '.[test]')")
        if theme not in built:
            srcdir = root / theme
            # exists already where a first try was skipped (the theme refused this Sphinx)
            shutil.copytree(TESTS / "roots" / "test-themes", srcdir, dirs_exist_ok=True)
            shutil.copytree(FEEDS, srcdir / "_feeds", dirs_exist_ok=True)
            for name in IMAGE_FEEDS:
                feed = srcdir / "_feeds" / name
                feed.write_text(feed.read_text(encoding="utf-8").replace("{server}", base), "utf-8")
            warnings = StringIO()
            app = SphinxTestApp(
                "html",
                srcdir=srcdir,
                confoverrides={"html_theme": theme},
                status=StringIO(),
                warning=warnings,
                warningiserror=True,
            )
            try:
                with skip_if_the_theme_refuses_this_sphinx(theme):
                    app.build()
            finally:
                app.cleanup()
            assert app.statuscode == 0
            assert warning_lines(warnings.getvalue()) == []
            built[theme] = f"{base}/{theme}/_build/html/index.html"
        return built[theme]

    return make


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",  # as root, and in containers
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(flag)
    # The driver path is given, so Selenium Manager never runs (nor downloads anything).
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def _load(driver: Any, url: str, mode: str) -> dict[str, Any]:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    scheme = "dark" if mode == "dark" else "light"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    driver.get(url)
    # the themes remember a mode chosen with their switcher (all pages share one origin)
    driver.execute_script(SWITCH_DARK_JS, mode == "dark-switch")
    driver.refresh()
    driver.execute_async_script(LOAD_IMAGES_JS)
    measured: dict[str, Any] = driver.execute_script(MEASURE_JS, TEXT_PARTS, SUMMARY_HEADINGS)
    return measured


def _report(measured: dict[str, Any]) -> dict[str, Any]:
    """The numbers worth printing: the lowest contrast of each part, the border contrast."""
    lowest = {
        part: round(min(text_contrast(s) for s in samples), 2)
        for part, samples in measured["texts"].items()
        if samples
    }
    borders = [
        round(contrast(_over(b["color"], background(b["chain"])), background(b["chain"])), 2)
        for b in measured["borders"]
    ]
    return {
        "innerWidth": measured["innerWidth"],
        "scrollWidth": measured["scrollWidth"],
        "scrollWidth without feeds": measured["themeScrollWidth"],
        "contrast": lowest,
        "theme text": round(text_contrast(measured["themeText"]), 2),
        "theme links": round(text_contrast(measured["themeLink"]), 2),
        "card border": min(borders) if borders else None,
        "page background": [round(v) for v in background(measured["page"])],
    }


def _too_faint(measured: dict[str, Any]) -> list[str]:
    """Item text below 4.5:1. Links may be as faint as the theme's own links (never below 3:1):
    their colour is the theme's, which the stylesheet keeps on purpose."""
    theme_links = text_contrast(measured["themeLink"])
    link_minimum = max(MIN_LINK_CONTRAST, min(MIN_CONTRAST, theme_links - 0.01))
    return [
        f"{part}: {sample['what']} {text_contrast(sample):.2f}"
        for part, samples in measured["texts"].items()
        for sample in samples
        if text_contrast(sample) < (link_minimum if sample["link"] else MIN_CONTRAST)
    ]


@pytest.mark.parametrize(("theme", "mode"), CASES, ids=[f"{t}-{m}" for t, m in CASES])
def test_theme_in_browser(
    theme: str, mode: str, build: Callable[[str], str], driver: Any, tmp_path: Path
) -> None:
    url = build(theme)
    measured = _load(driver, url, mode)
    _screenshots(driver, tmp_path, f"{theme}-{mode}")
    report = _report(measured)
    (tmp_path / "report.json").write_text(json.dumps({"url": url, **report}, indent=2), "utf-8")
    print(f"\n{theme} {mode}: {json.dumps(report)}\nscreenshots: {tmp_path}")

    assert measured["innerWidth"] == WIDTH, "the viewport is not a 360 px phone screen"
    assert measured["feeds"] == 8
    assert measured["items"] == 2 + 4 + 3 + 1 + 4 + 4 + 4
    thumbnails = [image for image in measured["images"] if image["thumbnail"]]
    assert len(thumbnails) == 2 + 1 + 3 + 3
    assert all(image["loaded"] for image in measured["images"]), measured["images"]
    page = background(measured["page"])
    if mode != "light":  # the theme really switched: light text on a dark page
        assert _luminance(page) < 0.2, f"{theme} did not switch to dark mode"
    else:
        assert _luminance(page) > 0.6

    overflowing = "\n".join(measured["overflowing"])
    assert not overflowing, f"boxes wider than the {WIDTH} px screen:\n{overflowing}"
    # pydata-sphinx-theme's header is wider than 360 px by itself (with any page): the feeds
    # must not make the page any wider than the theme does
    assert measured["scrollWidth"] <= max(WIDTH, measured["themeScrollWidth"]), (
        "the feeds make the page scroll sideways"
    )

    assert set(report["contrast"]) == set(TEXT_PARTS), "some part of the items was not checked"
    faint = "\n".join(_too_faint(measured))
    assert not faint, f"item text with too little contrast:\n{faint}"
    assert report["card border"] is not None
    assert report["card border"] >= 1.15, "card borders are invisible"

    # and on a desktop screen, where cards share rows
    wide = _remeasure(driver, DESKTOP_WIDTH)
    _gallery_screenshots(driver, f"{theme}-{mode}")
    assert any(len(row) > 1 for row in wide["cardRows"]), "no two cards share a row"
    layout = "\n".join(_layout_problems(measured) + _layout_problems(wide))
    assert not layout, f"layout problems:\n{layout}"


def _gallery_screenshots(driver: Any, name: str) -> None:
    """With ``FEED_GALLERY_SCREENSHOTS=DIR``, the avatar feeds at desktop width, one PNG
    each, for the docs (``docs/_static/gallery/screenshots``)."""
    folder = os.environ.get("FEED_GALLERY_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for height in (HEIGHT, None):  # lay out at the width, then show the whole page at once
        if height is None:
            height = min(int(driver.execute_script("return document.body.scrollHeight")), 8000)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": GALLERY_WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
    for layout in ("cards", "list", "compact"):
        feed = driver.find_element("css selector", f".themes-avatar-{layout}")
        feed.screenshot(str(Path(folder) / f"{name}-{layout}.png"))


def _remeasure(driver: Any, width: int) -> dict[str, Any]:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    measured: dict[str, Any] = driver.execute_script(MEASURE_JS, TEXT_PARTS, SUMMARY_HEADINGS)
    return measured


def _layout_problems(measured: dict[str, Any]) -> list[str]:
    """Images, summary headings, compact and card alignment, at the measured width."""
    at = f"at {measured['innerWidth']} px"
    problems = [f"{at}: {problem}" for problem in _misdrawn(measured["images"])]
    if not measured["headings"]:
        problems.append(f"{at}: no heading inside a summary was checked")
    problems += [f"{at}: {problem}" for problem in _outranking(measured["headings"])]
    if len(measured["compact"]) != 2:
        problems.append(f"{at}: {len(measured['compact'])} compact lists, not 2")
    for lefts in measured["compact"]:
        if max(lefts) - min(lefts) > 0.5:
            problems.append(f"{at}: compact titles do not line up: x = {lefts}")
    for offsets in measured["cardRows"]:
        if max(offsets) - min(offsets) > 0.5:
            problems.append(f"{at}: card titles in a row do not line up: y = {offsets}")
    return problems


def _drawn_size(image: dict[str, Any]) -> tuple[float, float]:
    """The size the picture itself is painted at, inside its box, per ``object-fit``."""
    natural_w, natural_h = image["naturalWidth"], image["naturalHeight"]
    box_w, box_h = image["width"], image["height"]
    fit = image["fit"]
    if fit == "fill":
        return box_w, box_h
    if fit == "none":
        return natural_w, natural_h
    contain = min(box_w / natural_w, box_h / natural_h)
    scale = {"contain": contain, "scale-down": min(1.0, contain)}.get(
        fit,
        max(box_w / natural_w, box_h / natural_h),  # cover
    )
    return natural_w * scale, natural_h * scale


def _misdrawn(images: list[dict[str, Any]]) -> list[str]:
    """Images painted larger than twice their natural size, or with another aspect ratio."""
    wrong = []
    for image in images:
        natural_w, natural_h = image["naturalWidth"], image["naturalHeight"]
        width, height = _drawn_size(image)
        size = f"{width:.1f}x{height:.1f} for {natural_w}x{natural_h} ({image['fit']})"
        if width > MAX_UPSCALE * natural_w + 0.5 or height > MAX_UPSCALE * natural_h + 0.5:
            wrong.append(f"{image['what']}: {size}, more than {MAX_UPSCALE:g}x")
        if abs(height - width * natural_h / natural_w) > 1.5:  # a pixel of rounding
            wrong.append(f"{image['what']}: {size}, distorted")
    return wrong


def _outranking(headings: list[dict[str, Any]]) -> list[str]:
    return [
        f"summary heading {h['what']}: {h['size']}px/{h['weight']} outranks the title's "
        f"{h['titleSize']}px/{h['titleWeight']}"
        for h in headings
        if h["size"] >= h["titleSize"] - 0.05 or h["weight"] > h["titleWeight"]
    ]


def _screenshots(driver: Any, folder: Path, name: str) -> None:
    """The whole page (still 360 px wide, as tall as the document) and each feed on its own."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": min(int(height), 8000), "deviceScaleFactor": 1, "mobile": False},
    )
    driver.save_screenshot(str(folder / f"{name}-{WIDTH}px.png"))
    for index, feed in enumerate(driver.find_elements("css selector", ".feed-block"), 1):
        feed.screenshot(str(folder / f"{name}-feed{index}.png"))


# --- accessibility: axe-core ---------------------------------------------------

#: axe-core's browser bundle: ``.ci/run`` installs it with npm (``FEED_AXE_JS`` overrides).
AXE_JS = Path(
    os.environ.get("FEED_AXE_JS")
    or TESTS.parent / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
)
#: The rules of WCAG 2.0-2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: Runs axe on the whole page; keeps the violations whose elements are inside a feed.
AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
const themeLink = getComputedStyle(document.querySelector(".theme-reference a")).color;
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(results => done(results.violations.map(v => ({
    id: v.id, help: v.help,
    nodes: v.nodes.filter(n => {
      const el = document.querySelector(n.target[n.target.length - 1]);
      if (el === null || el.closest(".feed-block") === null) return false;
      // links keep the theme's link colour on purpose: a theme whose own links fail
      // (sphinx-rtd-theme's blue, 4.2:1) is the theme's to fix, not the feed's
      return !(v.id === "color-contrast" && el.closest("a") !== null &&
               getComputedStyle(el).color === themeLink);
    }).map(n => n.html.slice(0, 160) + " | " + n.failureSummary.replace(/\\s+/g, " ")),
  })).filter(v => v.nodes.length)))
  .catch(error => done([{id: "axe-error", help: String(error), nodes: [""]}]));
"""
A11Y_THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_rtd_theme"]


@pytest.mark.parametrize("width", [WIDTH, DESKTOP_WIDTH])
@pytest.mark.parametrize("theme", A11Y_THEMES)
def test_no_axe_violations_inside_feeds(
    theme: str, width: int, build: Callable[[str], str], driver: Any
) -> None:
    """axe-core (WCAG 2.2 A and AA rules) finds nothing wrong in the feeds' own markup:
    wide tables scroll in a focusable, named region, links are far enough apart,
    new-tab links and images say what they are. The theme's own markup is not judged."""
    if not AXE_JS.is_file():
        pytest.skip(
            f"axe-core is not at {AXE_JS} (npm install --prefix .ci/node axe-core@4; "
            ".ci/run does this; or set FEED_AXE_JS to axe.min.js)"
        )
    url = build(theme).replace("/index.html", "/a11y.html")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "light"}]},
    )
    driver.get(url)
    driver.execute_async_script(LOAD_IMAGES_JS)
    assert driver.execute_script("return document.querySelectorAll('.feed-block').length") == 3
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    violations = driver.execute_async_script(AXE_RUN_JS, AXE_TAGS)
    report = "\n".join(
        f"{v['id']} ({v['help']}):\n  " + "\n  ".join(v["nodes"]) for v in violations
    )
    assert not violations, f"{theme} at {width} px, inside the feeds:\n{report}"
