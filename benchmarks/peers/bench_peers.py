"""Side by side: the time N slow feeds add to a build, in Sphinx and in its peers.

    python benchmarks/peers/bench_peers.py [--feeds 64] [--hosts 1] [--repeat 3]

Every tool builds a one-page site that fetches the same N feeds of 20 KB,
served from loopback by servers that answer after 300 ms, and the same site
without them; the figure is the difference, best of ``--repeat`` cold builds,
printed against one round trip measured in the same run. ``--hosts 64``
spreads the feeds over 127.0.0.2 … (all loopback on Linux).

* Sphinx with this extension (this checkout, whatever ``python`` runs it);
* Hugo (``resources.GetRemote`` in a template), if ``hugo`` is on ``PATH``
  (Debian: ``apt-get install -y hugo``);
* Eleventy 3 with eleventy-fetch (a global data file fetching every feed,
  ``duration: "0s"``), if ``npm install`` has been run in this folder.

A tool that is absent is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_scale import BYTECODE_ON, LATENCY, rss_feed  # noqa: E402
from faster_cases import _servers  # noqa: E402


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=BYTECODE_ON
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{command[0]} failed in {cwd}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return seconds


def sphinx_site(root: Path, urls: list[str]) -> list[str]:
    root.mkdir(parents=True)
    (root / "conf.py").write_text('extensions = ["sphinxcontrib_feed"]\nfeed_expire = 0\n')
    directives = "".join(f".. feed:: {url}\n   :limit: 5\n\n" for url in urls)
    (root / "index.rst").write_text(f"Feeds\n=====\n\n{directives}")
    return [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", ".", "_build"]


def hugo_site(root: Path, urls: list[str]) -> list[str]:
    (root / "layouts").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "config.toml").write_text('baseURL = "http://example.org/"\ntitle = "Feeds"\n')
    fetch = "".join(
        f'{{{{ with resources.GetRemote "{url}" }}}}{{{{ $f := transform.Unmarshal . }}}}'
        f"{{{{ range first 5 $f.channel.item }}}}<li>{{{{ .title }}}}</li>{{{{ end }}}}"
        "{{ end }}\n"
        for url in urls
    )
    (root / "layouts" / "index.html").write_text(f"<html><body><ul>\n{fetch}</ul></body></html>\n")
    cache = root / "cache"
    return ["hugo", "--quiet", "--cacheDir", str(cache), "--ignoreCache", "-d", "public"]


def eleventy_site(root: Path, urls: list[str]) -> list[str]:
    (root / "_data").mkdir(parents=True)
    (root / "_data" / "feeds.js").write_text(
        'import Fetch from "@11ty/eleventy-fetch";\n'
        f"const urls = {urls!r};\n"
        "export default async function () {\n"
        '  return Promise.all(urls.map((url) => Fetch(url, { duration: "0s", type: "text" })));\n'
        "}\n"
    )
    (root / "index.njk").write_text(
        "<ul>{% for feed in feeds %}<li>{{ feed | length }}</li>{% endfor %}</ul>\n"
    )
    (root / "package.json").write_text('{"type": "module"}\n')
    (root / "node_modules").symlink_to(HERE / "node_modules")
    return [str(HERE / "node_modules" / ".bin" / "eleventy"), "--quiet", "--output=_site"]


TOOLS = {
    "sphinx + sphinxcontrib-feed": (sphinx_site, lambda: None),
    "hugo": (hugo_site, lambda: None if shutil.which("hugo") else "hugo is not on PATH"),
    "eleventy + eleventy-fetch": (
        eleventy_site,
        lambda: (
            None
            if (HERE / "node_modules" / "@11ty" / "eleventy-fetch").is_dir()
            else f"run `npm install` in {HERE}"
        ),
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=64)
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        served = root / "served"
        served.mkdir()
        feed = rss_feed(20 * 1024)
        for n in range(args.feeds):
            (served / f"feed-{n}.xml").write_bytes(feed)
        servers, bases = _servers(served, args.hosts)
        urls = [f"{bases[n % args.hosts]}/feed-{n}.xml" for n in range(args.feeds)]
        print(f"{args.feeds} feeds behind {LATENCY * 1000:.0f} ms on {args.hosts} host(s), "
              f"cold, best of {args.repeat}; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
        print(f"  {'one round trip (baseline)':<54} {LATENCY:6.2f} s  1.00x")
        for name, (make, missing) in TOOLS.items():
            if reason := missing():
                print(f"  {name:<28} skipped: {reason}")
                continue
            added, bare = [], []
            for n in range(args.repeat):
                with_feeds, plain = root / f"{name[:6]}-{n}-feeds", root / f"{name[:6]}-{n}-plain"
                command = make(with_feeds, urls)
                make(plain, [])
                seconds, without = timed(command, with_feeds), timed(command, plain)
                added.append(seconds - without)
                bare.append(without)
            best = min(added)
            print(f"  {name:<28} no feeds {min(bare):5.2f} s, the feeds add "
                  f"{best:6.2f} s {best / LATENCY:6.2f}x")  # fmt: skip
        for server in servers:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
