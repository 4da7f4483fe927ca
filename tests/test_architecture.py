"""The package's layers hold: imports point one way and never in a loop (pyproject.toml's
[tool.importlinter] contracts, checked by import-linter as CI runs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "import-linter is in the test extra: pip install -e '.[test]'"
    return subprocess.run([command, "--no-cache", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The check can fail: a copy of the package where the diff imports a view."""
    shutil.copytree(ROOT / "policy_diff", tmp_path / "policy_diff",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    compare = tmp_path / "policy_diff" / "diff" / "compare.py"
    compare.write_text(compare.read_text() + "\nfrom ..views import json as _json_view\n")
    result = lint_imports(cwd=tmp_path)
    assert result.returncode != 0
    assert "policy_diff.diff is not allowed to import policy_diff.views" in result.stdout
