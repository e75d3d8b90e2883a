"""One translation table for every label, heading, tooltip and message.

The table is assembled from sections (one module per area, so areas can be
edited independently), each a dict ``key -> (English, 简体中文)``. A key
defined twice is an error at import, so the table stays one table.
``t(key, lang, **fmt)`` looks a text up and fills ``{placeholders}``.
"""
from __future__ import annotations

from importlib import import_module

from .. import metrics, pagelist

# "common" plus one section per page, as contentroi/pagelist.py names them (a
# section that does not exist is an ImportError, never silently skipped), plus
# the sections of what is not a page (the digest's volume alerts, chat posting;
# the state of the data -- damaged snapshots, sample + own data, how far each log
# reaches -- is in the Data page's section, which every page loads too).
BASE_SECTIONS = ("common", "volumes", "chat", "safety")
SECTIONS = BASE_SECTIONS + tuple(dict.fromkeys(p.section for p in pagelist.PAGES if p.section))
LANGS = ("en", "zh")

TEXT: dict[str, tuple[str, str]] = {}
for _name, _items in [("pagelist", pagelist.nav_text()), ("metrics", metrics.i18n_text())] + [
        (_s, import_module(f"{__name__}.{_s}").TEXT.items()) for _s in SECTIONS]:
    for _k, _v in dict(_items).items():
        if _k in TEXT:
            raise KeyError(f"translation key {_k!r} defined twice (in {_name})")
        TEXT[_k] = _v


def t(key: str, lang: str = "en", **fmt) -> str:
    pair = TEXT.get(key)
    if pair is None:
        text = key  # a missing key shows itself: tests catch it
    else:
        text = pair[1] if lang == "zh" else pair[0]
    return text.format(**fmt) if fmt else text
