"""Record and manifest rules (record-format §1, §3, §4) -> a list of located problems.

Nothing here raises for a bad record: `validate` wants every problem at once,
each as `path:line: message`.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from ..errors import RecordError, UsageError
from ..frozen import frozen
from ..model import DATE, PROVISION_ID, SLUG, VERSION, Document, Manifest, Side, side_of
from ..parse.document import parse
from ..source.files import check_inside, display_path, read_text
from ..source.manifests import MANIFEST, load_manifest
from ..parse.yaml_load import load_mapping
from ..parse.yaml_types import LocatedDict, Yaml11Bool

STATUSES = ("draft", "in-force", "superseded", "rescinded")
KINDS = ("text", "set", "scale")
REQUIRED = ("policy", "version", "title", "effective", "status")
STRING_KEYS = ("policy", "version", "title", "effective", "status", "issued_by", "supersedes",
               "summary")


@frozen
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "message": self.message}


class _Collector:
    """Problems of one file, located by the line of the key they concern."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, where: LocatedDict | None, key: str | None, message: str,
            severity: str = "error") -> None:
        line = None
        if isinstance(where, LocatedDict):
            line = where.key_lines.get(key, where.line) if key else where.line
        self.problems.append(Problem(self.path, line, message, severity))


def validate_paths(paths: list[str], store_root: Path | None) -> list[Problem]:
    """Validate files and folders; with no paths, the whole store."""
    if not paths:
        if store_root is None:
            raise UsageError("no store found to validate (give paths, --store or "
                             "$POLICY_DIFF_STORE)")
        return check_store(store_root)
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise UsageError(f"{name}: no such file or folder")
        if not path.is_dir():  # a FIFO or device too: reading it is refused, with its path
            problems += check_file(path)
        elif (path / MANIFEST).is_file() or any(path.glob("*.md")):
            problems += check_policy_folder(path)
        else:
            problems += check_store(path)
    return problems


def check_store(root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        problems += check_policy_folder(folder)
    return problems


def check_file(path: Path) -> list[Problem]:
    """One record; store rules apply when its folder is a policy folder (it has policy.yaml)."""
    folder = path.parent
    if path.name == MANIFEST:
        return check_manifest(path)
    if not (folder / MANIFEST).is_file():
        problems, _ = _check_record(path, manifest=None, folder_name=None)
        return problems
    return [p for p in check_policy_folder(folder) if p.path == display_path(path)]


def check_policy_folder(folder: Path) -> list[Problem]:
    """The manifest, every record, and the rules that span records (unique versions, chain)."""
    manifest_path = folder / MANIFEST
    store = folder.parent  # what the folder and its files must not lead out of
    try:
        check_inside(folder, store)
    except RecordError as exc:
        return [Problem(exc.path or display_path(folder), None, exc.message)]
    problems: list[Problem] = []
    manifest = None
    if manifest_path.is_file():
        problems += check_manifest(manifest_path, store)
        try:
            check_inside(manifest_path, store)
            manifest = load_manifest(manifest_path)
        except RecordError:
            manifest = None
    records: dict[Path, Document] = {}
    unreadable: set[str] = set()
    for path in sorted(folder.glob("*.md")):
        found, doc = _check_record(path, manifest, folder.name, store)
        problems += found
        if doc is not None:
            records[path] = doc
        if doc is None or not isinstance(doc.front.get("version"), str):
            unreadable.add(path.stem)  # already reported; its stem stands in for its version
    return problems + _check_versions(records, unreadable) + _check_agreement(records, manifest)


def _check_agreement(records: dict[Path, Document], manifest: Manifest | None) -> list[Problem]:
    """Warn where a key provision's value and its body section disagree on what changed since
    the version a record supersedes."""
    by_version = {str(d.front.get("version")): d for d in records.values()}
    problems = []
    for doc in records.values():
        target = doc.front.get("supersedes")
        before = by_version.get(target) if isinstance(target, str) else None
        if before is not None and before is not doc:
            problems += agreement_warnings(before, doc, manifest)
    return problems


def agreement_warnings(before: Document, doc: Document,
                       manifest: Manifest | None) -> list[Problem]:
    """DOC's provisions whose value and section disagree on what changed since BEFORE."""
    # the diff (8 ms): only a new version that supersedes another is compared with it
    from ..diff.compare import compare
    from ..diff.provisions import SECTION_CHECKS

    def side(record: Document) -> Side:
        return side_of(record, record.path, version=str(record.front.get("version")))

    provisions = doc.front.get("provisions")
    lines = provisions.key_lines if isinstance(provisions, LocatedDict) else {}
    return [Problem(doc.path, lines.get(change.id) or _at(doc, "provisions", "").line,
                    f"provision {change.id!r}, since {before.front.get('version')}: "
                    f"{SECTION_CHECKS[change.section_check]}", "warning")
            for change in compare(side(before), side(doc), manifest).provisions
            if change.section_check]


def _check_record(path: Path, manifest: Manifest | None, folder_name: str | None,
                  store: Path | None = None) -> tuple[list[Problem], Document | None]:
    label = display_path(path)
    try:
        if store is not None:
            check_inside(path, store)
        text = read_text(path, label)
    except RecordError as exc:
        return [Problem(label, exc.line, exc.message)], None
    problems = conflict_markers(text, label)  # first: they often break the YAML too
    try:
        doc = parse(text, label)
    except RecordError as exc:
        return problems + [Problem(label, exc.line, exc.message)], None
    return problems + check_record(doc, manifest, folder_name,
                                   path.stem if folder_name else None), doc


_MARKER = re.compile(r"^(<{7}|>{7}|\|{7})(?:[ \r][^\n]*)?$|^={7}\r?$", re.MULTILINE)


def conflict_markers(text: str, label: str) -> list[Problem]:
    """A merge conflict left in a record: `<<<<<<<`, `|||||||`, `=======`, `>>>>>>>` lines.

    Markdown reads them as text, quotes and a heading underline (`=======` turns the line
    above into a heading), so the record would parse: they are caught by their lines.  A
    lone `=======` is a heading underline, and stays one.
    """
    found = [(text.count("\n", 0, m.start()) + 1, m.group()) for m in _MARKER.finditer(text)]
    if not any(marker[:1] in "<>|" for _, marker in found):
        return []
    first, marker = found[0]
    more = f" ({len(found)} marker lines in all)" if len(found) > 1 else ""
    return [Problem(label, first, f"unresolved merge conflict: `{marker[:7]}` marker line"
                                  f"{more}; resolve the conflict and remove the markers")]


def check_record(doc: Document, manifest: Manifest | None = None,
                 folder_name: str | None = None, stem: str | None = None) -> list[Problem]:
    """Every rule of record-format §1 and §3 for one parsed record."""
    out = _Collector(doc.path)
    front = doc.front if isinstance(doc.front, LocatedDict) else None
    if not doc.has_front_matter:
        out.problems.append(Problem(doc.path, 1, "no front matter (a record starts with `---`)"))
        return out.problems
    _check_keys(out, front)
    if folder_name is not None and isinstance(doc.front.get("policy"), str) \
            and doc.front["policy"] != folder_name:
        out.add(front, "policy", f"policy {doc.front['policy']!r} does not match its folder "
                                 f"{folder_name!r}")
    if stem is not None and isinstance(doc.front.get("version"), str) \
            and doc.front["version"] != stem:
        out.add(front, "version", f"version {doc.front['version']!r} does not match the file "
                                  f"name {stem!r}")
    _check_provisions(out, front, manifest)
    _check_sources(out, front)
    if manifest is not None:
        _check_sections(out, doc, manifest)
    return out.problems


def _check_keys(out: _Collector, front: LocatedDict | None) -> None:
    assert front is not None
    for key in REQUIRED:
        if front.get(key) in (None, ""):
            out.add(front, key if key in front else None, f"missing required key {key!r}")
    for key in STRING_KEYS:
        value = front.get(key)
        if isinstance(value, Yaml11Bool):
            _check_yaml11(out, front, key, value, key)
        elif value is not None and not isinstance(value, str):
            out.add(front, key, f"{key} must be a string, not {_type_name(value)}")
    _check_pattern(out, front, "policy", SLUG, "a slug like `us-apl` ([a-z0-9-])")
    _check_pattern(out, front, "version", VERSION, "letters, digits, `.`, `_` or `-`")
    _check_pattern(out, front, "supersedes", VERSION, "a version string")
    _check_date(out, front, "effective")
    status = front.get("status")
    if isinstance(status, str) and status and status not in STATUSES:
        out.add(front, "status", f"status {status!r} is not one of {', '.join(STATUSES)}")
    tags = front.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        out.add(front, "tags", "tags must be a list of strings")
    elif tags is not None:
        _check_yaml11(out, front, "tags", tags, "tags")


def _check_yaml11(out: _Collector, where: LocatedDict, key: str, value: Any, name: str) -> None:
    """Name an unquoted yes/no/on/off in a string field: other YAML tools read it as a boolean."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Yaml11Bool):
            out.add(where, key, f"{name}: unquoted {item!r} is a boolean in YAML 1.1; "
                                f"quote it if you mean the word")
            return


def _check_pattern(out: _Collector, where: LocatedDict, key: str, pattern: re.Pattern[str],
                   hint: str) -> None:
    value = where.get(key)
    if isinstance(value, str) and value and not pattern.fullmatch(value):
        out.add(where, key, f"{key} {value!r} must be {hint}")


def _check_date(out: _Collector, where: LocatedDict, key: str) -> None:
    value = where.get(key)
    if not isinstance(value, str) or not value:
        return
    if not DATE.fullmatch(value):
        out.add(where, key, f"{key} {value!r} is not a date in the form YYYY-MM-DD")
        return
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        out.add(where, key, f"{key} {value!r} is not a real calendar date")


def _field(out: _Collector, front: LocatedDict | None, key: str, kind: type,
           problem: str) -> Any:
    """Front matter's KEY when it is given as a KIND; a PROBLEM noted when it is something
    else; None both then and when it is absent."""
    value = front.get(key) if front else None
    if value is not None and not isinstance(value, kind):
        out.add(front, key, problem)
        return None
    return value


def _check_provisions(out: _Collector, front: LocatedDict | None,
                      manifest: Manifest | None) -> None:
    provisions = _field(out, front, "provisions", LocatedDict,
                        "provisions must be a mapping of id to value")
    if provisions is None:
        return
    for provision_id, value in provisions.items():
        is_list = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not (isinstance(value, str) or is_list):
            out.add(provisions, provision_id,
                    f"provision {provision_id!r} must be a string or a list of strings")
            continue
        _check_yaml11(out, provisions, provision_id, value, f"provision {provision_id!r}")
        spec = manifest.spec(provision_id) if manifest else None
        if manifest is not None and spec is None:
            known = ", ".join(p.id for p in manifest.provisions) or "none"
            out.add(provisions, provision_id, f"provision {provision_id!r} is not in the "
                                              f"manifest (known: {known})")
        elif spec is not None:
            message = _kind_problem(spec.kind, spec.scale, value)
            if message:
                out.add(provisions, provision_id, f"provision {provision_id!r}: {message}")


def _kind_problem(kind: str, scale: tuple[str, ...], value: str | list[str]) -> str | None:
    if kind == "set" and not isinstance(value, list):
        return "a set provision takes a list of strings"
    if kind in ("text", "scale") and not isinstance(value, str):
        return f"a {kind} provision takes one string"
    if kind == "scale" and value not in scale:
        return f"{value!r} is not on the scale ({', '.join(scale)})"
    return None


def _check_sources(out: _Collector, front: LocatedDict | None) -> None:
    sources = _field(out, front, "sources", list, "sources must be a list of mappings")
    if sources is None:
        return
    for source in sources:
        if not isinstance(source, LocatedDict):
            out.add(front, "sources", "each source must be a mapping with at least a title")
            continue
        if not isinstance(source.get("title"), str) or not source["title"]:
            out.add(source, None, "source without a title")
        for key in ("publisher", "url", "note", "date"):
            if key in source and not isinstance(source[key], str):
                out.add(source, key, f"source {key} must be a string")
        for key in ("title", "publisher", "url", "note", "date"):
            if isinstance(source.get(key), str):
                _check_yaml11(out, source, key, source[key], f"source {key}")
        _check_date(out, source, "date")


def _check_sections(out: _Collector, doc: Document, manifest: Manifest) -> None:
    headings = {s.heading.casefold() for s in doc.sections}
    for spec in manifest.provisions:
        if spec.section and spec.section.casefold() not in headings:
            out.problems.append(Problem(doc.path, doc.title_line or 1,
                                        f"section {spec.section!r} (provision {spec.id}) is "
                                        f"missing from the body", "warning"))


def _check_versions(records: dict[Path, Document], unreadable: set[str]) -> list[Problem]:
    """Versions unique in the policy; `supersedes` names one of them; the chain has no cycle.

    A record that could not be read is reported once, by itself: naming it in
    another record's `supersedes` is not a second problem.
    """
    problems: list[Problem] = []
    by_version: dict[str, Document] = {}
    for doc in records.values():
        version = doc.front.get("version")
        if not isinstance(version, str):
            continue
        if version in by_version:
            problems.append(_at(doc, "version", f"version {version!r} is also used by "
                                                f"{by_version[version].path}"))
        by_version.setdefault(version, doc)
    for version, doc in by_version.items():
        target = doc.front.get("supersedes")
        loop = _cycle(version, by_version)
        if isinstance(target, str) and target and target not in by_version \
                and target not in unreadable:
            problems.append(_at(doc, "supersedes", f"supersedes {target!r}, which is not a "
                                                   f"version of this policy"))
        elif target == version:
            problems.append(_at(doc, "supersedes", f"supersedes itself ({version!r})"))
        elif loop:  # one problem, at its smallest version
            if version == min(loop):
                chain = " -> ".join(loop + [version])
                problems.append(_at(doc, "supersedes", f"the supersedes chain from {version!r} "
                                                       f"loops back on itself ({chain})"))
        elif isinstance(target, str) and target in by_version \
                and not _earlier(by_version[target], doc):
            problems.append(_at(doc, "supersedes", f"supersedes {target!r}, which is not an "
                                                   f"earlier version (effective "
                                                   f"{by_version[target].front.get('effective')})"))
    return problems


def _earlier(before: Document, after: Document) -> bool:
    """Whether BEFORE comes earlier in the store's order: by effective date, then version."""
    def key(doc: Document) -> tuple[str, str]:
        return str(doc.front.get("effective") or ""), str(doc.front.get("version"))
    return key(before) < key(after)


def _cycle(start: str, by_version: dict[str, Document]) -> list[str]:
    """The loop `start` is on (start first), or [] when its chain ends.

    A loop is one problem: the caller reports it at its smallest version only,
    and not at records that merely lead into it.
    """
    chain = [start]
    current = by_version[start].front.get("supersedes")
    while isinstance(current, str) and current in by_version:
        if current in chain:
            return chain if current == start else []
        chain.append(current)
        current = by_version[current].front.get("supersedes")
    return []


def _at(doc: Document, key: str, message: str) -> Problem:
    front = doc.front
    line = front.key_lines.get(key) if isinstance(front, LocatedDict) else None
    return Problem(doc.path, line, message)


def check_manifest(path: Path, store: Path | None = None) -> list[Problem]:
    """policy.yaml: policy equals folder; each provision has a known kind and what it needs."""
    label = display_path(path)
    try:
        if store is not None:
            check_inside(path, store)
        data = load_mapping(read_text(path, label), label)
    except RecordError as exc:
        return [Problem(label, exc.line, exc.message)]
    out = _Collector(label)
    if data.get("policy") != path.parent.name:
        out.add(data, "policy" if "policy" in data else None,
                f"manifest policy {data.get('policy')!r} does not match its folder "
                f"{path.parent.name!r}")
    provisions = data.get("provisions", {})
    if not isinstance(provisions, LocatedDict):
        out.add(data, "provisions", "provisions must be a mapping of id to description")
        return out.problems
    for provision_id, spec in provisions.items():
        if not PROVISION_ID.fullmatch(provision_id):
            out.add(provisions, provision_id, f"provision id {provision_id!r} must be letters, "
                                              f"digits, `_` or `-`")
        if not isinstance(spec, LocatedDict):
            out.add(provisions, provision_id, f"provision {provision_id!r} must be a mapping")
            continue
        _check_manifest_spec(out, provision_id, spec)
    return out.problems


def _check_manifest_spec(out: _Collector, provision_id: str, spec: LocatedDict) -> None:
    kind = spec.get("kind", "text")
    if kind not in KINDS:
        out.add(spec, "kind", f"provision {provision_id!r}: kind {kind!r} is not one of "
                              f"{', '.join(KINDS)}")
    scale = spec.get("scale")
    if kind == "scale" and not (isinstance(scale, list) and scale
                                and all(isinstance(s, str) for s in scale)):
        out.add(spec, "scale" if "scale" in spec else "kind",
                f"provision {provision_id!r}: a scale needs `scale:` as a list of strings")
    elif kind == "scale" and isinstance(scale, list) and len(set(scale)) != len(scale):
        out.add(spec, "scale", f"provision {provision_id!r}: the scale repeats an entry")
    for key in ("label", "section", "all", "toward_start", "toward_end"):
        if key in spec and not isinstance(spec[key], str):
            out.add(spec, key, f"provision {provision_id!r}: {key} must be a string")


def _type_name(value: Any) -> str:
    return {bool: "a boolean", list: "a list", dict: "a mapping"}.get(
        type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)
