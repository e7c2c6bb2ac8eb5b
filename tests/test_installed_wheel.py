"""A plain (non-editable) install must work: build the wheel, install it into a fresh
directory, and run it from there, with the styles and samples it ships."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(out.glob("hamish-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tui/styles/hamish.tcss" in names
    assert "tui/samples/ar-news-desalination.txt" in names
    # Every package of the source tree must be listed in pyproject.toml, or the wheel lacks it.
    for init in (REPO / "tui").rglob("__init__.py"):
        assert init.relative_to(REPO).as_posix() in names
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def run_installed(target: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(target)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=target.parent, timeout=120
    )


def test_installed_wheel_renders_its_sample(installed):
    code = (
        "import tui, sys\n"
        f"assert tui.__file__.startswith({str(installed)!r}), tui.__file__\n"
        "from tui.cli import main\n"
        "sys.exit(main(['render', str(__import__('tui.core.samples', fromlist=['x']).default_sample()), '--width', '40']))\n"
    )
    result = run_installed(installed, code)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) > 20


def test_installed_wheel_app_starts_with_its_stylesheet(installed):
    code = (
        "import asyncio, tui\n"
        f"assert tui.__file__.startswith({str(installed)!r})\n"
        "from tui.app import HamishApp, stylesheet\n"
        "from tui.core.text.document import Document\n"
        "from tui.core.samples import default_sample\n"
        f"assert stylesheet().startswith({str(installed)!r}), stylesheet()\n"
        "async def main():\n"
        "    app = HamishApp(Document.open(default_sample()))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.press('j')\n"
        "        assert app.reader.styles.scrollbar_size_vertical == 1  # from hamish.tcss\n"
        "        print('STARTED', app.reader.cursor)\n"
        "asyncio.run(main())\n"
    )
    result = run_installed(installed, code)
    assert result.returncode == 0, result.stderr
    assert "STARTED" in result.stdout
