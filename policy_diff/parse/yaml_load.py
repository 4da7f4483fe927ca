"""A strict, safe YAML loader for front matter and manifests.

YAML 1.1 (PyYAML) silently turns `2022-06-21` into a date, `no` into False,
`1.10` into 1.1 and repeats of a key into last-wins.  Policy text must survive
exactly as written, so every scalar stays a string except `true`/`false` and
null, duplicate keys are an error, and mappings remember the line of each key.

Simple block YAML (most front matter) is read by `yaml_subset` without PyYAML (both build
the types of `yaml_types`); the rest goes
to the strict PyYAML loader in `yaml_strict`, imported only then: `import yaml` and its
pure-Python loader would cost ~20 ms of every `policy-diff diff`.
"""

from __future__ import annotations

from typing import Any

from ..errors import RecordError
from ..limits import MAX_FRONT_MATTER, check_limit
from .yaml_subset import parse_subset
from .yaml_types import LocatedDict, empty_mapping

def load_mapping(text: str, path: str, first_line: int = 1, any_shape: bool = False) -> LocatedDict:
    """Load YAML that must be a mapping; line numbers are shifted so line 1 is `first_line`.

    With `any_shape`, YAML of another shape (a list, a string) is kept under the key
    `front matter`: a plain document's front matter is compared, whatever it holds.

    >>> load_mapping("effective: 2022-06-21\\napproved: no\\n", "x")["effective"]
    '2022-06-21'
    """
    # PyYAML reads about 250 KB a second of dense YAML (a list of a million items: minutes).
    check_limit(MAX_FRONT_MATTER, len(text), "characters of YAML", path or None)
    # Most front matter is simple block YAML: read it without importing PyYAML (~25 ms).
    data = parse_subset(text)
    if data is None:
        data = _load_full(text, path, first_line)
    if not isinstance(data, LocatedDict) and any_shape:
        wrapped = LocatedDict({"front matter": data})  # as parse.FRONT_MATTER_TEXT
        wrapped.line, wrapped.key_lines = 1, {"front matter": 1}
        data = wrapped
    if not isinstance(data, LocatedDict):
        raise RecordError(f"front matter must be a mapping, not {_kind(data)}", path, first_line)
    _shift_lines(data, first_line - 1)
    return data


def _load_full(text: str, path: str = "", first_line: int = 1) -> Any:
    """Any YAML through the strict PyYAML loader; an error is a RecordError at its line."""
    # PyYAML (15 ms): only front matter outside the subset the fast reader knows
    import yaml

    from .yaml_strict import StrictLoader

    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line, message = _plain_error(exc, text, first_line)
        raise RecordError(f"invalid YAML: {message}", path, first_line + line) from None
    except yaml.reader.ReaderError as exc:
        # Not a MarkedYAMLError: it knows only the character offset, so count lines up to it.
        line = first_line + text.count("\n", 0, exc.position)
        raise RecordError(f"invalid YAML: character U+{exc.character:04X} is not allowed",
                          path, line) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"invalid YAML: {exc}", path, first_line) from None
    except RecursionError:
        # PyYAML composes recursively: `[[[[...` a few thousand deep would be a traceback.
        raise RecordError("invalid YAML: nested too deeply", path, first_line) from None
    return empty_mapping() if data is None else data


def _plain_error(exc: Any, text: str, first_line: int) -> tuple[int, str]:
    """The 0-based line (of TEXT) a person must fix, and what is wrong there in plain words.

    PyYAML reports where it noticed a problem, often the line after the one at fault: a
    key without its ':' is noticed where the next line begins.
    """
    problem, context = exc.problem or "", exc.context or ""
    at = exc.problem_mark or exc.context_mark
    line = at.line if at else 0
    opened = exc.context_mark.line if exc.context_mark else line
    lines = text.split("\n")
    if "could not find expected ':'" in problem:
        return opened, f"a key needs ':' after it ({_shown(lines, opened)!r})"
    if "mapping values are not allowed" in problem:
        return line, ("a ':' followed by a space cannot stand here: indent this line under "
                      "its key, or put the value in quotes")
    if "found unexpected end of stream" in problem and "quoted scalar" in context:
        return opened, "a quoted value opened on this line is never closed"
    if "found character '\\t'" in problem:
        return line, "a tab: YAML indents with spaces only"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "[" if "]" in problem else "{"
        return opened, f"the {bracket!r} opened on this line is never closed"
    if problem.startswith("expected <block end>"):
        quote = _runaway_quote(text, line)
        if quote is not None:
            return quote, (f"a quoted value opened on this line runs on to line "
                           f"{first_line + line}: is its closing quote missing?")
        return line, ("this line's indentation does not fit the lines above it: check its "
                      "spaces, and those of the line before")
    return line, problem or context


def _shown(lines: list[str], line: int) -> str:
    return lines[line].strip()[:60] if 0 <= line < len(lines) else ""


def _runaway_quote(text: str, before: int) -> int | None:
    """The 0-based line of a quoted value that spans lines and ends on line BEFORE or the
    line above it: the usual cause of a later, puzzling error."""
    import yaml  # PyYAML (15 ms): only to locate an error in front matter

    last = None
    try:
        for token in yaml.scan(text):  # noqa: S506 - the scanner builds no objects
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.start_mark.line < token.end_mark.line:
                last = token
    except yaml.YAMLError:
        pass
    if last is not None and before - 1 <= last.end_mark.line <= before:
        return last.start_mark.line
    return None


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean"}.get(type(value), type(value).__name__)


def _shift_lines(value: Any, offset: int) -> None:
    """Make every recorded line count from the top of the file, not of the YAML."""
    if isinstance(value, LocatedDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)
