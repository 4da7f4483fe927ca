"""How a policy-diff process runs: short-lived, so the garbage collector stays out of its way,
and what it built is left to the operating system when it ends."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator, NoReturn

_LEFT_FOR_EXIT: list[object] = []


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


def keep_until_exit(*objects: object) -> None:
    """Hold OBJECTS until `end`, which leaves them to the operating system: freed one by
    one they would cost a 10 MB pair's diff (about a million objects) 40-60 ms."""
    _LEFT_FOR_EXIT.extend(objects)


def end(code: int) -> NoReturn:
    """End the process with exit CODE: output flushed and exit handlers run (a pool's, a
    temporary folder's), but no object freed and no module torn down.  While another thread
    runs (a library's), the usual exit, which waits for it."""
    import atexit
    import os
    import sys

    threading = sys.modules.get("threading")  # not loaded: no thread was started with it
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    try:
        sys.stdout.flush()
    except OSError:  # the reader went away (`| head`): stop quietly, as git does
        code = 141
    atexit._run_exitfuncs()  # the handlers the interpreter's own exit would run (CPython's hook)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # gone, or closed by the command
            pass
    os._exit(code)
