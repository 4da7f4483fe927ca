"""Drive Debian's headless chromium from its command line: DOM, console problems, screenshots."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import NamedTuple

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage")  # containers often have a tiny /dev/shm
# With --enable-logging=stderr every console message (errors, CSP refusals, uncaught
# exceptions) is logged as `...:INFO:CONSOLE:<line>] "message", source: ...`.
_PROBLEM = re.compile(r":CONSOLE[:(]|Uncaught|Refused to|Content Security Policy")


class Page(NamedTuple):
    dom: str
    problems: list[str]


def load(page: Path, profile: Path) -> Page:
    """Load a local page; return its DOM after load and every console line it caused."""
    done = _chromium(profile, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    problems = [line for line in done.stderr.splitlines() if _PROBLEM.search(line)]
    return Page(done.stdout, problems)


def screenshot(page: Path, out: Path, profile: Path, size: str = "1200,2000") -> None:
    _chromium(profile, "--hide-scrollbars", f"--screenshot={out}", f"--window-size={size}",
              page.as_uri())


def print_to_pdf(page: Path, out: Path, profile: Path) -> None:
    _chromium(profile, "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri())


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless run with its own profile folder, so runs never share state."""
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)
