"""How a policy-diff process runs: short-lived, so the garbage collector stays out of its way."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def short_lived_process() -> Iterator[None]:
    """No cyclic garbage collection: the process ends right after, which frees everything.

    The collector would walk every object a diff builds, during the run and once more at
    exit: 6 ms of a 55 ms small diff, 0.17 s of a 10 MB one, and the peak memory the same.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # nothing left for the collector to walk at exit
