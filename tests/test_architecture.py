"""The core must stay headless: no module under tui/core may import Textual.

Checked twice: statically (every import statement in tui/core) and dynamically (importing
every core module in a fresh interpreter leaves `textual` out of sys.modules).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "tui" / "core"


def core_modules() -> list[str]:
    """Every module under tui/core, subpackages included."""
    modules = []
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(modules)


def test_no_core_module_imports_textual_statically():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert not offenders


def test_core_imports_without_textual():
    modules = core_modules()
    assert len(modules) >= 10
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_subcommands_do_not_import_textual():
    code = (
        "import sys, tui.cli\n"
        "sys.exit(1 if any(m.startswith('textual') for m in sys.modules) else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
