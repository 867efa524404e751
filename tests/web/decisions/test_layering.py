"""Decisions sits below consultation: it never imports the consultation app, and still
learns which analyses name a programme through the source consultation registers."""

from __future__ import annotations

import ast
from pathlib import Path

import stpkit.web.decisions as decisions_app
from stpkit.web.decisions import links

ROOT = Path(decisions_app.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_decisions_never_imports_consultation() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _imports(p) if "web.consultation" in m)
        for p in ROOT.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_consultation_app_registers_its_source() -> None:
    from stpkit.web.consultation.links import linked_to_programme

    assert linked_to_programme in links._sources
