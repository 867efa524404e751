"""The NHS.UK frontend stylesheet rewritten to need nothing from another host.

`nhsuk-frontend` ships its CSS with `@font-face` rules that fetch Frutiger from
assets.nhs.uk (a licensed font the package does not include) and icon URLs rooted at
`/assets/`. Offline, or behind a proxy that blocks that host, every page waited on the font
request and the browser console filled with errors. The finder below serves
`nhsuk/nhsuk-frontend.offline.min.css`: the package's CSS with those `@font-face` rules
removed (the stack falls back to Arial, then the system's sans-serif) and the icon URLs made
relative to the package's own `assets/` folder, which is served beside it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

OFFLINE_CSS = "nhsuk/nhsuk-frontend.offline.min.css"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//", re.IGNORECASE)
_ROOTED_ASSET = re.compile(r"url\(\s*(['\"]?)/assets/")


def offline_css(source: str) -> str:
    """`source` without `@font-face` rules that load from another host, icons made relative."""
    kept = _FONT_FACE.sub(lambda m: "" if _EXTERNAL_URL.search(m.group(0)) else m.group(0), source)
    return _ROOTED_ASSET.sub(r"url(\1assets/", kept)


def references_external_host(css: str) -> bool:
    """Whether a stylesheet would make the browser fetch something from another host."""
    return bool(_EXTERNAL_URL.search(css)) or "@import" in css


class OfflineCssFinder(BaseFinder):
    """Finds the offline stylesheet, writing it from the installed package when it changes."""

    def _source(self) -> Path:
        return (
            Path(settings.NODE_MODULES)
            / "nhsuk-frontend"
            / "dist"
            / "nhsuk"
            / ("nhsuk-frontend.min.css")
        )

    def _built(self) -> Path:
        return Path(settings.STATIC_BUILD_DIR) / OFFLINE_CSS

    def _build(self) -> Path | None:
        source, built = self._source(), self._built()
        if not source.exists():
            return None
        if not built.exists() or built.stat().st_mtime < source.stat().st_mtime:
            built.parent.mkdir(parents=True, exist_ok=True)
            tmp = built.with_suffix(f".{os.getpid()}.tmp")  # parallel workers
            tmp.write_text(offline_css(source.read_text(encoding="utf-8")), encoding="utf-8")
            tmp.replace(built)
        return built

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != OFFLINE_CSS:
            return [] if find_all else None
        built = self._build()
        if built is None:
            return [] if find_all else None
        return [str(built)] if find_all else str(built)

    def list(self, ignore_patterns: Any) -> Any:
        built = self._build()
        if built is not None:
            storage = FileSystemStorage(location=str(Path(settings.STATIC_BUILD_DIR)))
            yield OFFLINE_CSS, storage
