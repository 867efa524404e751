"""`stpkit.productivity` is the engine's public API: everything it lists exists, and code
outside the engine imports from it rather than from the engine's modules."""

from __future__ import annotations

import ast
from pathlib import Path

import stpkit.productivity as engine

ROOT = Path(__file__).resolve().parents[2]
# kent_medway is the seed's module, exported as such (`from stpkit.productivity import
# kent_medway as km`); importing its names from it directly is allowed.
PUBLIC_MODULES = {"stpkit.productivity", "stpkit.productivity.kent_medway"}


def test_every_listed_name_exists() -> None:
    missing = [name for name in engine.__all__ if not hasattr(engine, name)]
    assert missing == []
    assert len(engine.__all__) == len(set(engine.__all__))


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
        elif isinstance(node, ast.Import):
            module = next((a.name for a in node.names if a.name.startswith("stpkit.")), "")
        else:
            continue
        if module.startswith("stpkit.productivity.") and module not in PUBLIC_MODULES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return found


def test_outside_code_imports_only_the_public_api() -> None:
    engine_dir = ROOT / "src" / "stpkit" / "productivity"
    files = [
        p
        for folder in ("src", "tests", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
        if engine_dir not in p.parents
    ]
    assert len(files) > 50
    assert [hit for p in files for hit in _private_imports(p)] == []
