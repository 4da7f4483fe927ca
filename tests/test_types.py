"""Type checking: `mypy` (configured in pyproject.toml) finds no error in the package.

The value classes are `@frozen` (policy_diff/frozen.py), which type checkers read as
dataclasses; the second test holds them to that, so a constructor call with a wrong
argument is caught.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file",
                           str(ROOT / "pyproject.toml"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_package_type_checks() -> None:
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_frozen_classes_are_checked_like_dataclasses(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(textwrap.dedent("""\
        from policy_diff.frozen import frozen, replace, uncompared

        @frozen
        class Point:
            x: int
            y: int = 0
            line: int = uncompared(default=0)

        Point(1, 2, line=3)
        replace(Point(1), y=2).y + 1
        Point("1")
        Point(1, z=2)
        Point(1).x = 2
        """))
    result = _mypy("--no-incremental", str(sample))
    errors = [line.split(" error: ")[1] for line in result.stdout.splitlines() if " error: " in line]
    assert errors == [
        'Argument 1 to "Point" has incompatible type "str"; expected "int"  [arg-type]',
        'Unexpected keyword argument "z" for "Point"  [call-arg]',
        'Property "x" defined in "Point" is read-only  [misc]',
    ], result.stdout
