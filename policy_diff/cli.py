"""The command line: parse options, call one library function, print, return an exit code.

Exit codes follow diff(1): 0 no differences / valid, 1 differences / invalid
records, 2 error (one `policy-diff: error: ...` line on stderr, nothing on
stdout), 130 on Ctrl-C.  Heavy modules are imported inside the commands so
that `--help` and the git hooks start fast.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import PolicyDiffError, UsageError

app = typer.Typer(
    name="policy-diff", no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Keep every version of a policy as a Markdown record; see what changed between them.")


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class DataFormat(str, Enum):
    """The formats of history and blame."""

    term = "term"
    json = "json"


class ProblemFormat(str, Enum):
    text = "text"
    json = "json"


StoreOption = Annotated[Optional[str], typer.Option(
    "--store", metavar="PATH", help="The policies/ folder (default: $POLICY_DIFF_STORE, "
                                    "else policies/ at the git top level or here).")]
ColorOption = Annotated[Color, typer.Option("--color", help="Colour: auto, always or never.")]
WidthOption = Annotated[Optional[int], typer.Option(
    "--width", min=20, help="Output width (default: the terminal, or $COLUMNS).")]
PagerOption = Annotated[bool, typer.Option("--pager/--no-pager",
                                           help="Page long output in a terminal, like git.")]
OutputOption = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE, in the format its extension names "
    "(.txt: the terminal view as plain text) unless --format says.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Let -o replace an existing file.")]


def _store(option: str | None) -> Path | None:
    from .source.store import find_store

    return find_store(option)


def _print(renderable, color: Color, width: int | None, pager: bool = False,  # type: ignore[no-untyped-def]
           crop: bool = True) -> None:
    from .views.text.console import emit

    emit(renderable, color.value, width, pager, crop)


def _format(given: Enum | None, output: str | None, choices: type[Enum], command: str) -> str:
    """--format if given, else -o's extension, else term."""
    from .commands.output import output_format

    return output_format(given.value if given is not None else None, output,
                         tuple(c.value for c in choices), command)  # type: ignore[attr-defined]


def _out(text: str, output: str | None, force: bool) -> None:
    """Text to -o FILE, or to stdout."""
    if output is None:
        sys.stdout.write(text)
    else:
        from .commands.output import write

        write(output, text, force)


def _view(renderable, output: str | None, force: bool, color: Color,  # type: ignore[no-untyped-def]
          width: int | None, pager: bool) -> None:
    """A terminal view: printed, or saved as plain text to -o FILE."""
    if output is None:
        _print(renderable, color, width, pager)
    else:
        from .commands.output import plain_text

        _out(plain_text(renderable, width), output, force)


class DiffFormat(str, Enum):
    """The formats of diff and matrix."""

    term = "term"
    json = "json"
    markdown = "markdown"
    html = "html"


class DiffOutput(str, Enum):
    """The formats of diff: those of matrix, and a Word redline."""

    term = "term"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The older version: PATH, POLICY@VERSION, POLICY or -.")],
    new: Annotated[Optional[str], typer.Argument(
        help="The newer version (default: with OLD as POLICY@VERSION, the version it supersedes "
             "is compared with OLD).")] = None,
    output_format: Annotated[Optional[DiffOutput], typer.Option(
        "--format", "-f", help="term, json, markdown, html or docx (a Word redline: the new "
                               "version with every change tracked; needs -o).  Default: "
                               "from -o's extension (.json .md .html .txt .docx), else term."
    )] = None,
    context: Annotated[int, typer.Option("--context", "-C", min=0,
                                         help="Unchanged blocks shown around changes.")] = 1,
    full: Annotated[bool, typer.Option("--full", help="Show every section and block.")] = False,
    side_by_side: Annotated[bool, typer.Option("--side-by-side", "-y",
                                               help="Old and new in two columns.")] = False,
    staged: Annotated[bool, typer.Option("--staged", "--cached",
                                         help="With one PATH: the index against HEAD.")] = False,
    ignore_editorial: Annotated[bool, typer.Option(
        "--ignore-editorial", help="Hide changes of spacing, punctuation, case and numbering; "
                                   "exit 0 when nothing else changed.")] = False,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write to FILE (.txt: the terminal view as plain text).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Let -o replace an existing file.")] = False,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True,
    author: Annotated[str, typer.Option(
        "--author", help="The author of the Word redline's tracked changes.")] = "policy-diff",
) -> None:
    """Show what changed between two versions; exit 0 if identical, 1 if they differ.

    With one ref: a file compares HEAD with the working tree (--staged: with the index),
    like `git diff PATH`; POLICY@VERSION compares the version it supersedes with it.
    """
    from .commands.diff import DiffOptions, run_diff

    raise typer.Exit(run_diff(DiffOptions(
        old, new, output_format.value if output_format else None, context, full, side_by_side,
        staged, ignore_editorial, output, force, store, color.value, width, pager, author)))


@app.command()
def validate(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Records, policy folders or stores (default: the whole store).")] = None,
    output_format: Annotated[ProblemFormat, typer.Option("--format", "-f")] = ProblemFormat.text,
    store: StoreOption = None,
) -> None:
    """Check records and manifests against the record format; exit 1 if any is invalid."""
    from .rules.schema import validate_paths

    problems = validate_paths(list(paths or []), _store(store))
    errors = [p for p in problems if p.severity == "error"]
    if output_format is ProblemFormat.json:
        from .text.safe import inert_json

        typer.echo(inert_json(json.dumps([p.as_json() for p in problems], indent=2,
                                         ensure_ascii=False)))
    else:
        from .text.safe import safe_name

        for problem in problems:  # one line each, whatever the file's name holds
            typer.echo(safe_name(str(problem)))
        warnings = len(problems) - len(errors)
        typer.echo(f"{len(errors)} error(s), {warnings} warning(s)" if problems
                   else "all records valid", err=bool(problems))
    raise typer.Exit(1 if errors else 0)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="A record: PATH, POLICY@VERSION, POLICY or -.")],
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True,
) -> None:
    """Show one record laid out for reading."""
    from .parse.document import parse
    from .views.record import body_of, show_record
    from .source.store import Store
    from .source.refs import resolve

    root = _store(store)
    source = resolve(ref, root)
    doc = parse(source.text, source.path)
    manifest = Store(root).manifest(source.policy) if root and source.policy else None
    _print(show_record(doc, manifest, body_of(source.text, source.path)), color, width, pager,
           crop=False)  # a URL runs on whole rather than be cut


class LogFormat(str, Enum):
    term = "term"


@app.command()
def log(
    policy: Annotated[str, typer.Argument(help="A policy in the store.")],
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> None:
    """List a policy's versions, newest first, each with its change from the one before."""
    from .views.record import log_table
    from .source.store import Store
    from .source.refs import resolve

    root = _store(store)
    if root is None or Path(policy).is_file() or policy not in Store(root).policies:
        resolve(policy, root)  # names what is wrong, with suggestions
        raise UsageError(f"{policy!r} is a file, not a policy of the store; `log` takes POLICY")
    _format(None, output, LogFormat, "log")
    entries = Store(root).versions(policy)  # read only here: an unreadable one is listed
    _view(log_table(policy, entries, _change_summaries(policy, entries, root)),
          output, force, color, width, pager)
    if any(entry.unreadable for entry in entries):
        raise typer.Exit(1)  # listed in its place, marked (record-format §4)


def _change_summaries(policy: str, entries, root: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each version's one-line summary against the version before it."""
    from .diff.compare import compare
    from .diff.lineage import with_last_stated
    from .diff.summary import one_line_summary
    from .source.manifests import manifest_for
    from .source.refs import load_side

    sides = [None if entry.unreadable else load_side(f"{policy}@{entry.version}", root)
             for entry in entries]
    manifest = next((manifest_for(s) for s in sides if s is not None), None)
    summaries = {}
    for index, (entry, after) in enumerate(zip(entries, sides)):
        before = sides[index - 1] if index else None
        if after is None:
            summaries[entry.version] = f"unreadable: {entry.unreadable}"
        elif not index:
            summaries[entry.version] = "(first version)"
        elif before is None:
            summaries[entry.version] = "(the version before cannot be read)"
        else:
            result = compare(before, after, manifest)
            try:
                result = with_last_stated(result, root, manifest)
            except PolicyDiffError:  # an earlier record cannot be read: it is listed as such
                pass
            summaries[entry.version] = one_line_summary(result, kinds=False)
    return summaries


@app.command()
def new(
    policy: Annotated[str, typer.Argument(help="The policy to add a version to.")],
    version: Annotated[str, typer.Option("--version", help="The new version's name.")],
    base: Annotated[Optional[str], typer.Option(
        "--from", help="Copy this version (default: the latest).")] = None,
    effective: Annotated[Optional[str], typer.Option(
        "--effective", help="Effective date, YYYY-MM-DD (default: today).")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open it in $VISUAL / $EDITOR.")] = False,
    store: StoreOption = None,
) -> None:
    """Start the next version: a draft with provisions and body copied, supersedes set, the
    effective date and title updated, summary and sources left for you to fill in."""
    from .source.newversion import start_version
    from .text.safe import sanitize
    from .source.store import Store
    from .source.files import display_path

    root = _store(store)
    if root is None:
        raise UsageError("no policies/ store found (use --store or $POLICY_DIFF_STORE)")
    draft = start_version(Store(root), policy, version, base, effective)
    shown = sanitize(display_path(draft.path))
    typer.echo(f"created {shown} (status draft)")
    for note in draft.notes:
        typer.echo(f"  {sanitize(note)}")
    typer.echo("next:\n"
               f"  1. edit {shown}: the text that changes, the provisions, and the summary and "
               "sources (marked `# Fill in`)\n"
               f"  2. policy-diff validate {shown}\n"
               f"  3. policy-diff diff {sanitize(policy)}@{sanitize(version)}   "
               "(against the version it supersedes)")
    if edit:
        _edit(draft.path)


class Changes(str, Enum):
    accept = "accept"
    reject = "reject"


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A .docx, .pdf, .html/.htm (.doc, .odt, .rtf "
                                             "with LibreOffice installed).")],
    policy: Annotated[Optional[str], typer.Option("--policy", help="The policy it is a "
                                                  "version of.")] = None,
    version: Annotated[Optional[str], typer.Option("--version", help="The version's name.")] = None,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="PATH", help="Write the record here instead of the store.")] = None,
    effective: Annotated[Optional[str], typer.Option(
        "--effective", help="Effective date, YYYY-MM-DD (default: the document's date).")] = None,
    changes: Annotated[Changes, typer.Option(
        "--changes", help="Word tracked changes: read them accepted or rejected.")] = Changes.accept,
    store: StoreOption = None,
) -> None:
    """Make a draft record of a Word, PDF or web-page document, then validate it.

    The front matter comes from the document (title, date, and a source naming the file and
    its SHA-256); the body keeps its headings, lists, tables and footnotes.  Never written over
    an existing file.  Exit 1 if the new record is not valid.
    """
    from .source.newversion import import_document
    from .rules.schema import check_file
    from .text.safe import sanitize
    from .source.files import display_path

    root = None if output is not None else _store(store)
    path = import_document(file, policy, version, output, effective, changes.value, root)
    typer.echo(f"created {sanitize(display_path(path))} (status draft)")
    problems = check_file(path)
    for problem in problems:
        typer.echo(sanitize(str(problem)), err=True)
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)


def _edit(path: Path) -> None:
    import os
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    subprocess.run([*shlex.split(editor), str(path)], check=False)


class HistoryFormat(str, Enum):
    term = "term"
    json = "json"
    jsonl = "jsonl"


class ListFormat(str, Enum):
    term = "term"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


JobsOption = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Processes to compare with (default: one per core; -j 1 gives "
                                "the same output).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q",
                                           help="No progress bar on stderr.")]


@app.command()
def history(
    target: Annotated[str, typer.Argument(
        help="A record PATH (also one deleted since), REV:PATH (its history as of REV), or a "
             "POLICY of the store.")],
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1,
                                                 help="At most N commits.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Commits after DATE.")] = None,
    patch: Annotated[bool, typer.Option("--patch", "-p", help="Each commit's policy diff.")] = False,
    output_format: Annotated[Optional[HistoryFormat], typer.Option(
        "--format", "-f", help="term, json (one document) or jsonl (one object a line); "
                               "default: from -o's extension, else term.")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, jobs: JobsOption = None, quiet: QuietOption = False,
    output: OutputOption = None, force: ForceOption = False,
) -> None:
    """The commits that changed a record (following renames), newest first, each summarised.

    Each commit is printed as soon as it is summarised; exit 1 when a version could not be
    read (it is listed, marked).
    """
    from .commands.history import HistoryOptions, run_history

    raise typer.Exit(run_history(HistoryOptions(
        target, limit, since, patch, output_format.value if output_format else None, store,
        color.value, width, pager, jobs, quiet, output, force)))


@app.command()
def changes(
    rev1: Annotated[str, typer.Argument(help="The older revision.")],
    rev2: Annotated[Optional[str], typer.Argument(
        help="The newer revision (default: the working tree).")] = None,
    output_format: Annotated[Optional[ListFormat], typer.Option(
        "--format", "-f", help="term, json, jsonl or markdown; default: from -o's extension, "
                               "else term.")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    jobs: JobsOption = None, quiet: QuietOption = False, output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every record added, removed, renamed or modified between two revisions, summarised;
    exit 1 if any differs."""
    from .commands.history import ChangesOptions, run_changes

    raise typer.Exit(run_changes(ChangesOptions(
        rev1, rev2, output_format.value if output_format else None, store, color.value, width,
        jobs, quiet, output, force)))


@app.command()
def matrix(
    policy: Annotated[str, typer.Argument(help="A policy in the store.")],
    provisions: Annotated[Optional[list[str]], typer.Option(
        "--provision", metavar="ID",
        help="Only this provision (repeat for more; shown in the order given).")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Unchanged text too (default: shown as =).")] = False,
    compact: Annotated[bool, typer.Option(
        "--compact", help="Cut each wording to one line, marked … (terminal only).")] = False,
    output_format: Annotated[Optional[DiffFormat], typer.Option(
        "--format", "-f", help="term, markdown, html or json (default: from -o's extension, "
                               "else term).")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> None:
    """Key provisions across every version of a policy, oldest first, each change marked."""
    from .diff.matrix import build_matrix
    from .views import matrix as views

    chosen = _format(output_format, output, DiffFormat, "matrix")
    result = build_matrix(_store(store), policy, provisions)
    if chosen == "json":
        _out(views.matrix_json(result), output, force)
    elif chosen == "markdown":
        _out(views.matrix_markdown(result, full), output, force)
    elif chosen == "html":
        _out(views.matrix_html(result, full), output, force)
    else:
        _view(views.matrix_view(result, full, 1 if compact else None), output, force, color,
              width, pager)


class BlameFormat(str, Enum):
    term = "term"
    json = "json"
    html = "html"


@app.command()
def blame(
    ref: Annotated[str, typer.Argument(
        help="POLICY@VERSION (walked back through the versions it supersedes), or a file or "
             "REV:PATH (walked back through git).")],
    provision: Annotated[Optional[str], typer.Option(
        "--provision", metavar="ID",
        help="Instead: this provision's wordings across the policy's versions.")] = None,
    output_format: Annotated[Optional[BlameFormat], typer.Option(
        "--format", "-f", help="term, json or html (default: from -o's extension, else "
                               "term).")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> None:
    """Where each block's wording first appeared: the version or the commit, like git blame."""
    root = _store(store)
    chosen = _format(output_format, output, BlameFormat, "blame")
    if provision is not None:
        if chosen == "html":
            raise UsageError("blame --provision: --format term or json")
        _blame_provision(ref, provision, root, DataFormat(chosen), color, width, pager)
        return
    from .diff.blame import blame as blame_ref
    from .views.blame import blame_html, blame_json, blame_view

    origins = blame_ref(ref, root)
    if chosen == "json":
        _out(blame_json(ref, origins), output, force)
    elif chosen == "html":
        _out(blame_html(ref, origins), output, force)
    else:
        _view(blame_view(ref, origins), output, force, color, width, pager)


def _blame_provision(ref: str, provision: str, root: Path | None, output_format: DataFormat,
                     color: Color, width: int | None, pager: bool) -> None:
    from .diff.blame import blame_provision
    from .views.blame import provision_history_json, provision_history_view
    from .source.refs import resolve

    source = resolve(ref, root)
    if source.policy is None:
        raise UsageError(f"--provision takes POLICY or POLICY@VERSION, not {ref!r}")
    history = blame_provision(root, source.policy, provision)
    if output_format is DataFormat.json:
        sys.stdout.write(provision_history_json(history))
    else:
        _print(provision_history_view(history), color, width, pager)


@app.command()
def check(
    revisions: Annotated[Optional[str], typer.Argument(
        metavar="BASE..HEAD", help="The commits to check (HEAD alone: all its history; default: "
                                   "$PRE_COMMIT_FROM_REF..$PRE_COMMIT_TO_REF).")] = None,
) -> None:
    """Hold every commit of a range to the rules the hooks keep; exit 1 on a violation.

    Each commit's records and manifests must be valid, and a published version is never
    edited, removed or renamed, and its status only moves forward. For CI, a pre-push hook
    and a server's pre-receive hook, where `git commit --no-verify` cannot skip it.
    """
    from .hooks.check import run_check

    raise typer.Exit(run_check(revisions))


hooks_app = typer.Typer(no_args_is_help=True,
                        help="Guard this repository's records with git hooks and a diff driver.")
app.add_typer(hooks_app, name="hooks")


@hooks_app.command("install")
def hooks_install(
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a hook of ours that was edited, keeping it as <hook>.legacy.")]
    = False,
) -> None:
    """Install the pre-commit, prepare-commit-msg, pre-merge-commit and pre-push hooks and the
    `policy` diff driver."""
    from .hooks.install import install

    for line in install(force=force):
        typer.echo(line)


@hooks_app.command("uninstall")
def hooks_uninstall() -> None:
    """Remove them, putting back any hook that install had kept as .legacy."""
    from .hooks.install import uninstall

    for line in uninstall():
        typer.echo(line)


@hooks_app.command("status")
def hooks_status() -> None:
    """Show what is installed."""
    from .hooks.install import status

    for line in status():
        typer.echo(line)


def run_cli(argv: list[str]) -> int:
    """Run a typer command; click's own usage errors become one `policy-diff: error:` line."""
    from typer.main import get_command

    command = get_command(app)
    try:
        return command.main(args=argv, prog_name="policy-diff", standalone_mode=False) or 0
    except Exception as exc:  # click's own errors, whichever copy of click typer carries
        if type(exc).__name__ == "Abort":
            return 130
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
            return 2
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            context = getattr(exc, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context else ""
            print(f"policy-diff: error: {exc.format_message()}{hint}", file=sys.stderr)
            return int(exc.exit_code)
        raise


from .launch import main  # noqa: E402  (the entry point, re-exported for tests and scripts)
