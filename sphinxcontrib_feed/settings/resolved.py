"""The ``feed_*`` values read once, checked and normalised: one frozen :class:`Settings`.

Built at ``config-inited`` (before Sphinx's own type check), where every bad
value gets a ``feed.config`` warning naming it, the value and what is accepted,
and its default is used instead; the build never stops for configuration.
The normalised values are also written back to the config, so anything reading
``config.feed_*`` sees the same.

It is a :class:`~typing.NamedTuple`, not a dataclass: every build makes the
class, a no-op included, and a frozen dataclass of 30 fields takes about a
millisecond to make (a named tuple a tenth of that); it is never compared
with tuples nor unpacked. The object is cached on the
:class:`~sphinx.config.Config` (a private attribute Sphinx never pickles).
Forked ``-j`` workers inherit it; anywhere else it is rebuilt from the
(already normalised) config, quietly and the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinxcontrib_feed._version import __version__
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.settings.checks import (
    CHECKS,
    Report,
    allowed_hosts,
    rel,
    using,
)
from sphinxcontrib_feed.settings.config import (
    CONFIG_VALUES,
    Layout,
    MediaMode,
    OnError,
    SummaryMode,
    loose_types,
    offline_from_environment,
)

if TYPE_CHECKING:
    import os

    from sphinx.config import Config

    from sphinxcontrib_feed.settings.entries import SourceEntry

logger = logging.getLogger(__name__)

_CACHED = "_feed_settings"
#: The most requests in flight to one host (scheme, name and port), as browsers allow.
PER_HOST = 6


class Settings(NamedTuple):
    """Every ``feed_*`` value, checked; durations in seconds."""

    sources: Mapping[str, SourceEntry]
    #: ``feed_sources`` names whose entry was unusable (reported at config time).
    invalid_sources: frozenset[str]
    limit: int
    summary: SummaryMode
    summary_length: int
    date_format: str | None
    layout: Layout
    expire: float
    on_error: OnError
    as_of: bool
    rel: str | None
    media: MediaMode
    searchable: bool
    #: None allows any host; an empty tuple allows none.
    allowed_hosts: tuple[str, ...] | None
    #: ``feed_offline``, or ``SPHINX_FEED_OFFLINE`` set to a true value.
    offline: bool
    snapshot_dir: str | None
    cache_path: str | None
    cache_backend: str
    timeout: float
    max_bytes: int
    concurrency: int
    #: ``feed_user_agent``, else Sphinx's ``user_agent``, else our own name.
    user_agent: str
    linkcheck: bool
    backoff: float
    #: Sphinx's own ``tls_verify`` and ``tls_cacerts``, as intersphinx uses them.
    tls_verify: bool = True
    tls_cacerts: str | Mapping[str, str] | None = None
    #: ``feed_sidebar``: ``{"source", "limit", "title"}``, or None.
    sidebar: Mapping[str, Any] | None = None

    @property
    def per_host(self) -> int:
        """Requests in flight to one host: :data:`PER_HOST`, or fewer if ``feed_concurrency`` is."""
        return min(PER_HOST, self.concurrency)


def _from_command_line(raw: str | bool, default: object) -> object:
    """``-D name=value`` values are strings (``0``/``1`` booleans): numbers where due."""
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(raw, bool):
            return int(raw)
        for number in (int, float):
            try:
                return number(raw.strip())
            except ValueError:
                pass
    return raw


def build_settings(config: Config, report: Report) -> tuple[Settings, dict[str, Any]]:
    """The settings, and the normalised value of every ``feed_*`` config value."""
    values: dict[str, Any] = {}
    entries: dict[str, SourceEntry] = {}
    invalid: set[str] = set()
    overridden = set(getattr(config, "_overrides", {}))
    for name, default, _ in CONFIG_VALUES:  # in this order, so warnings come in it too
        raw = getattr(config, name)
        if name in overridden and isinstance(raw, str | bool):
            raw = _from_command_line(raw, default)
        if name == "feed_sources":
            if raw != {}:  # its checks, and the entries' class, only for a project naming some
                from sphinxcontrib_feed.settings.entries import sources

                entries, invalid, raw = sources(raw, report)
            values[name] = raw
        elif name == "feed_allowed_hosts":
            values[name] = allowed_hosts(raw, report)
        elif name == "feed_rel":
            values[name] = rel(name, raw, report)
        else:
            check = CHECKS[name]
            try:
                values[name] = check(raw)
            except ValueError as accepted:
                report(name, raw, str(accepted), using(default))
                values[name] = check(default)
    fields_ = {name.removeprefix("feed_"): value for name, value in values.items()}
    fields_.update(sources=entries, invalid_sources=frozenset(invalid))
    fields_["offline"] = fields_["offline"] or offline_from_environment()
    fields_["user_agent"] = (
        fields_["user_agent"]
        or getattr(config, "user_agent", None)
        or f"sphinxcontrib-feed/{__version__}"
    )
    fields_["tls_verify"] = bool(getattr(config, "tls_verify", True))
    cacerts = getattr(config, "tls_cacerts", None)
    fields_["tls_cacerts"] = cacerts if isinstance(cacerts, str | dict) else None
    settings = Settings(**{name: fields_[name] for name in Settings._fields})
    return settings, values


def init_settings(app: Sphinx, config: Config) -> None:
    """``config-inited``: check everything, warn about all that is wrong, keep the result."""
    locate = _conf_locator(app.confdir, set(getattr(config, "_overrides", {})))

    def report(setting: str, value: object, accepted: str, outcome: str) -> None:
        logger.warning(
            __("%s = %r is not valid (expected %s); %s"), setting, value, accepted, outcome,
            type="feed", subtype="config", location=locate(setting),
        )  # fmt: skip

    settings, values = build_settings(config, report)
    for name, value in values.items():
        setattr(config, name, value)
    setattr(config, _CACHED, settings)


def get_settings(config_or_app: Config | Sphinx) -> Settings:
    """The build's settings; rebuilt quietly where the cached copy is missing."""
    config = config_or_app.config if isinstance(config_or_app, Sphinx) else config_or_app
    cached = config.__dict__.get(_CACHED)
    if isinstance(cached, Settings):
        return cached
    settings, _ = build_settings(config, lambda *_: None)
    setattr(config, _CACHED, settings)
    return settings


def _conf_locator(
    confdir: str | os.PathLike[str] | None, overridden: set[str]
) -> Callable[[str], str | None]:
    """``conf.py:LINE`` of the assignment to a setting, when conf.py has one."""
    conf = Path(confdir, "conf.py") if confdir else None
    try:
        lines = conf.read_text(encoding="utf-8").splitlines() if conf else []
    except (OSError, UnicodeDecodeError):
        lines = []

    def locate(setting: str) -> str | None:
        name = setting.split("[", 1)[0]
        if conf is None or name in overridden:
            return None
        assignment = re.compile(rf"^{re.escape(name)}\s*(?::[^=]*)?=")
        for number, line in enumerate(lines, 1):
            if assignment.match(line):
                return f"{conf}:{number}"
        return None

    return locate


def register(app: Sphinx) -> None:
    """Declare every ``feed_*`` value, and check them all once at ``config-inited``."""
    for name, default, rebuild in CONFIG_VALUES:
        app.add_config_value(name, default, rebuild, loose_types(default))
    _take_overrides_as_given(app.config)
    # Before Sphinx's own type check (priority 800), so it sees normalised values.
    app.connect("config-inited", init_settings, priority=400)


def _take_overrides_as_given(config: Config) -> None:
    """``-D feed_*=...`` strings reach our checks unconverted, on every Sphinx.

    Sphinx 9 passes such a string on; Sphinx 8 converts it by the default's
    type when the value is first read (``config-inited`` itself reads them
    all), so ``-D feed_timeout=2.5`` failed as an integer with Sphinx's own
    warning and was dropped. Setting the string at set-up, before anything
    reads the value, keeps Sphinx's conversion out.
    """
    overrides = getattr(config, "_overrides", None)  # private: without it, Sphinx's conversion
    if not isinstance(overrides, Mapping):
        return
    for name, default, _rebuild in CONFIG_VALUES:
        raw = overrides.get(name)
        if isinstance(raw, str) and not isinstance(default, dict) and name not in vars(config):
            setattr(config, name, raw)
