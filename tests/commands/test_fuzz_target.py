"""The fuzz target still runs against the current code (atheris itself is not installed in CI).

A stand-in for atheris' data provider feeds it two corpus records, so a change to a
renderer or the parser that the target calls breaks this test, not the next fuzzing run.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from contextlib import nullcontext

import pytest

from conftest import REPO as ROOT


class _Provider:
    """The three calls of atheris.FuzzedDataProvider that the target makes, read plainly."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def ConsumeIntInRange(self, low: int, high: int) -> int:  # noqa: N802 - atheris' name
        value, self.data = self.data[0] if self.data else 0, self.data[1:]
        return low + value * (high - low) // 255 if high > 255 else min(high, low + value)

    def remaining_bytes(self) -> int:
        return len(self.data)

    def ConsumeBytes(self, count: int) -> bytes:  # noqa: N802
        taken, self.data = self.data[:count], self.data[count:]
        return taken


@pytest.fixture
def target(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    fake = types.ModuleType("atheris")
    fake.instrument_imports = lambda **_: nullcontext()  # type: ignore[attr-defined]
    fake.FuzzedDataProvider = _Provider  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "atheris", fake)
    spec = importlib.util.spec_from_file_location("fuzz_diff", ROOT / "fuzz" / "fuzz_diff.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("flags", [0xFF, 0xF7, 0x08, 0x01])
def test_the_fuzz_target_draws_two_records_in_every_format(target: types.ModuleType,
                                                          flags: int) -> None:
    old = (ROOT / "policies/us-apl/2022-06-21.md").read_bytes()
    new = (ROOT / "policies/us-apl/2025-12-02.md").read_bytes()
    cut = round(len(old) * 255 / (len(old) + len(new)))  # where the provider cuts the rest
    target.test_one_input(bytes([flags, cut]) + old + new)
