"""Issue 19 in a real browser: a podcast, an untitled social feed and an Arabic feed,
light and dark, 375 and 1280 px wide.

Arabic titles and summary blocks lay out right to left in an English page
(computed ``direction``), the feed's language is the container's ``lang``,
players load nothing before a click, and nothing overflows sideways.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pytest
from helpers import FEEDS, TESTS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not CHROMIUM or not CHROMEDRIVER:
    pytest.skip("needs chromium and chromedriver on PATH", allow_module_level=True)

MEASURE_JS = """
const style = (el) => getComputedStyle(el);
const feed = (name) => document.querySelector(`div.feed-block.${name}`);
const rtl = feed('rtl');
const page = document.documentElement;
const wide = [...document.querySelectorAll('div.feed-block *')].filter(
  (el) => el.getBoundingClientRect().right > page.clientWidth + 1);
return {
  rtlLang: rtl.getAttribute('lang'),
  rtlTitles: [...rtl.querySelectorAll('.feed-heading')].map((el) => style(el).direction),
  rtlBlocks: [...rtl.querySelectorAll('.feed-summary > p')].map((el) => style(el).direction),
  englishTitles: [...feed('podcast').querySelectorAll('.feed-heading')].map(
    (el) => style(el).direction),
  players: [...document.querySelectorAll('audio, video')].map((el) => ({
    controls: el.controls, autoplay: el.autoplay, preload: el.preload,
    state: el.readyState, width: el.getBoundingClientRect().width,
  })),
  socialTitles: [...feed('social').querySelectorAll('.feed-title')].map((el) => el.textContent),
  overflow: wide.map((el) => el.tagName + '.' + el.className),
  scroll: page.scrollWidth - page.clientWidth,
};
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("kinds") / "src"
    shutil.copytree(TESTS / "roots" / "test-kinds-browser", src)
    shutil.copytree(FEEDS, src / "_feeds")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    return (src / "_build" / "html" / "index.html").as_uri()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):  # fmt: skip
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_every_kind_in_a_browser(driver: Any, page: str, width: int, mode: str, tmp_path: Path):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": mode}]},
    )
    driver.get(page)
    measured: dict[str, Any] = driver.execute_script(MEASURE_JS)
    driver.save_screenshot(str(tmp_path / f"kinds-{width}-{mode}.png"))
    assert measured["rtlLang"] == "ar"
    assert measured["rtlTitles"] == ["rtl", "rtl"]
    assert measured["rtlBlocks"] and set(measured["rtlBlocks"]) == {"rtl"}
    assert set(measured["englishTitles"]) == {"ltr"}
    players = measured["players"]
    assert len(players) == 3  # two episodes, one video post
    for player in players:
        assert player["controls"] and not player["autoplay"]
        assert player["preload"] == "none" and player["state"] == 0  # nothing loaded
        assert 0 < player["width"] <= width
    assert "Shipped the parser rewrite today." in measured["socialTitles"]
    assert measured["overflow"] == []
    assert measured["scroll"] <= 0
