"""The house rules of the package, read from its source (issue #13).

* Layers: a module imports only from its own subpackage or a lower layer
  (every import counts: a lazy one inside a function and one under
  ``TYPE_CHECKING`` included); the few exceptions are listed, with why.
* No import circle between modules (imports made only for type checkers aside:
  they never run).
* No module over 600 lines; no module imports another's private (``_name``) names.
* One public surface: ``moviekit.__all__`` is pinned here, sorted, and every
  public class and function says it lives in ``moviekit``.

The layers are drawn in the README's "Architecture" section; this test is what
keeps that drawing true.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import moviekit

PACKAGE = Path(moviekit.__file__).resolve().parent
ROOT = PACKAGE.parent

#: bottom to top; subpackages on one line are siblings: neither imports the other
LAYERS: tuple[tuple[str, ...], ...] = (
    ("moviekit._problems", "moviekit._version", "moviekit._lazy"),
    ("moviekit._errors",),  # the exception tree carries problems
    ("moviekit.service",),
    ("moviekit.values",),
    ("moviekit.timing",),
    ("moviekit.validation",),
    ("moviekit.builders",),
    ("moviekit.transport",),
    ("moviekit.webhooks",),  # the public façade of transport's webhook helpers
    ("moviekit.batch", "moviekit.preview"),
    ("moviekit.testing",),
    ("moviekit",),  # the public surface: imports every layer below
    ("moviekit.studio", "moviekit.mcp"),  # applications on the public surface
    ("moviekit.cli",),
    ("moviekit.__main__",),  # python -m moviekit
)
#: the imports that run upwards, each for a reason; issue #13 allows at most two
UPWARD: set[tuple[str, str]] = set()
MAX_LINES = 600
GENERATED = {"moviekit/builders/_generated.py", "moviekit/service/_literals.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def home(module: str) -> tuple[int, str]:
    """The layer of a module and the unit (subpackage or top module) it belongs to."""
    best: tuple[int, str] | None = None
    for level, units in enumerate(LAYERS):
        for unit in units:
            inside = module == unit or module.startswith(f"{unit}.")
            if inside and (best is None or len(unit) > len(best[1])):
                best = (level, unit)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


@cache
def imports(module: str) -> list[tuple[str, list[str], bool]]:
    """(imported module, names taken from it, whether only for type checkers) of one module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    typing_only = _type_checking_lines(tree)
    found: list[tuple[str, list[str], bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("moviekit"):
                continue
            names = [a.name for a in node.names]
            submodules = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in MODULES]
            targets = submodules or [node.module]
            others = [n for n in names if f"{node.module}.{n}" not in MODULES]
            for target in targets:
                taken = others if target == node.module else []
                found.append((target, taken, node.lineno in typing_only))
            if submodules and others:
                found.append((node.module, others, node.lineno in typing_only))
        elif isinstance(node, ast.Import):
            found.extend(
                (a.name, [], node.lineno in typing_only)
                for a in node.names
                if a.name.startswith("moviekit")
            )
    return found


def test_every_import_runs_down_the_layers() -> None:
    upward: set[tuple[str, str]] = set()
    for module in MODULES:
        level, unit = home(module)
        for target, _, _ in imports(module):
            target_level, target_unit = home(target)
            if target_unit == unit or target_level < level:
                continue
            upward.add((module, target))
    assert upward == UPWARD, f"imports running up (or sideways) the layers: {upward - UPWARD}"
    assert len(UPWARD) <= 2


def test_no_import_circle() -> None:
    graph = {
        module: {t for t, _, typing_only in imports(module) if not typing_only and t != module}
        for module in MODULES
    }
    # a package's __init__ re-exports its modules: an edge into it means "one of its modules"
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not (module.startswith(f"{t}.") and t in MODULES)}

    circles = [group for group in strongly_connected(graph) if len(group) > 1]
    assert not circles, f"import circles: {circles}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative): groups that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in MODULES.values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and str(path.relative_to(ROOT)) not in GENERATED
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_module_takes_another_modules_private_names() -> None:
    taken = {
        (module, target, name)
        for module in MODULES
        for target, names, _ in imports(module)
        for name in names
        if name.startswith("_") and not name.startswith("__") and target != module
    }
    assert not taken, f"private names imported from another module: {sorted(taken)}"


def test_the_public_surface_is_pinned() -> None:
    assert list(moviekit.__all__) == sorted(moviekit.__all__), "keep __all__ sorted"
    assert set(moviekit.__all__) == PUBLIC, (
        f"added: {sorted(set(moviekit.__all__) - PUBLIC)}, "
        f"removed: {sorted(PUBLIC - set(moviekit.__all__))} (update PUBLIC on purpose)"
    )
    assert set(dir(moviekit)) >= PUBLIC


PUBLIC = frozenset(
    """
    APIConnectionError APIError APIStatusError APITimeoutError AsyncClient AsyncJob AsyncRender
    Audio Audiogram AuthenticationError BadRequestError Batch BatchCounts BatchError
    BatchEstimate BatchEvent BatchEventHandler BatchResult BatchStarted BatchStopped
    BatchValidationError BudgetExceededError BuildError CONTAINER_END CONTAINER_LENGTH ChromaKey
    Client ClientConfigError Component ConflictError Connection Correction CostItem
    CreditEstimate Credits Crop DownloadFailed DryRun Element Email Expr FTP HTML Image Job
    Ledger LedgerError LedgerRow LedgerStore MalformedResponseError MediaError MediaFile Movie
    MovieStatus MovieTemplate MovieValidationError MoviekitError NATURAL_LENGTH NO_DEFAULT
    NotFoundError PermissionDeniedError PlanLimitError PollPolicy PostgresLedger PreviewError
    PreviewMediaError PreviewUnavailableError Problem ProjectNotFoundError QuotaExceededError
    RateLimitError Render RenderFailedError RetryPolicy Rotate Row RowDownloaded RowFailed
    RowFinished RowLeftInFlight RowProblem RowResult RowSubmitted RowsError SFTP Scene
    ServerError Span StudioError Submission SubmitUncertainError SubtitleCue SubtitleTrack
    Subtitles Template TemplateError TemplateNotFoundError TemplateSummary Text TimeExpr
    Timeline Transition TransitionSpan UnknownElement ValidationReport Var Variable
    VariableValueError Video Voice WaitTimeoutError Webhook WebhookError __version__
    migrate_ledger poll_delay preview read_rows sequence tmax tmin validate voice_captions
    webhooks with_captions
    """.split()  # noqa: SIM905  (a word list reads better than 125 quoted names)
)
