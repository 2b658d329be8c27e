"""``moviekit batch check | run | report | migrate``: one template, many rows, rendered once each.

- ``check``   the dry run: every row built and validated, every problem listed, the total
  credit estimate; sends nothing
- ``run``     dry run, then render; re-running the same command resumes (the ledger remembers)
- ``report``  what the ledger says about every row; sends nothing
- ``migrate`` move a batch from its SQLite ledger to a PostgreSQL one

``--ledger`` is an SQLite file, or a ``postgresql://`` URL: a ledger that any
number of ``batch run`` workers, on any number of machines, share (each row is
rendered by one of them; ``--plan-concurrency`` is their limit together).

The library reports a run as typed events; this module draws them (a Rich
progress bar on stderr) and the summary table. ``run`` exits 1 unless every
row is done (a failed, unfinished or invalid row, or a video not saved).

TEMPLATE is a script (``recipe.py`` with a module-level ``template``, or
``recipe.py:name``) defining a :class:`~moviekit.MovieTemplate`, a function
``row -> Movie`` or a placeholder Movie; a JSON file with a placeholder movie;
or a saved template's 20-character id (its variables are fetched from the
service). The key comes from ``JSON2VIDEO_API_KEY`` only and is never printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from moviekit._errors import BatchValidationError
from moviekit.cli._app import app, err, fail, friendly_errors, out, print_json
from moviekit.cli._load import read_json, run_recipe, split_source
from moviekit.cli.render import BASE_URL_OPTION, MAX_CREDITS_OPTION

if TYPE_CHECKING:  # pragma: no cover
    # The batch and transport layers load inside the commands (``moviekit --help`` stays light).
    from moviekit._problems import RowProblem
    from moviekit.batch._estimate import BatchEstimate
    from moviekit.batch._events import BatchEventHandler
    from moviekit.batch._results import BatchResult
    from moviekit.batch._template import MovieTemplate
    from moviekit.transport._client import Client

batch_app = typer.Typer(
    name="batch",
    help="Render one template for many rows (CSV/JSON/JSONL), resumably, with a ledger.",
    no_args_is_help=True,
)

_TEMPLATE = typer.Argument(..., help="script.py[:name], movie.json, or a saved template id.")
_ROWS = typer.Argument(..., help="Rows: a .csv, .json or .jsonl file.")
_KEY = typer.Option(None, "--key", "-k", help="Column that identifies a row (else position).")
_LEDGER = typer.Option(
    "moviekit-ledger.db",
    "--ledger",
    help="The ledger: an SQLite file (created if missing) or a postgresql:// URL that many "
    "workers share (put the password in PGPASSWORD or ~/.pgpass, not in the URL).",
)


def _ledger(text: str) -> str | Path:
    """The ``--ledger`` value as ``Batch`` takes it: a database URL, or a file's path."""
    from moviekit.batch._postgres import is_database_url

    return text if is_database_url(text) else Path(text)


def _client(base_url: str, poll_interval: float | None) -> Client:
    from moviekit.transport._client import Client
    from moviekit.transport._polling import PollPolicy

    if poll_interval is None:
        return Client(base_url=base_url)
    # The client refuses intervals under 5 s for anything but a loopback test server.
    return Client(base_url=base_url, poll_policy=PollPolicy(schedule=(poll_interval,)))


def _load_template(source: str, base_url: str, poll_interval: float | None) -> MovieTemplate:
    """The template ``source`` names: a recipe's, a JSON file's placeholder movie, or a saved one.

    Files are read as every command reads them (``moviekit.cli._load``): a
    missing file or a directory is misuse (exit 2), a file that is not JSON or
    a recipe that raises is one line naming the file.
    """
    from moviekit.batch._template import MovieTemplate
    from moviekit.service._catalog import TEMPLATE_ID_LENGTH

    path, name = split_source(source)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return MovieTemplate(read_json(path))
    if suffix == ".py":
        namespace = run_recipe(path)
        found = namespace.get(name or "template")
        if found is None and not name:
            candidates = [
                v
                for k, v in namespace.items()
                if isinstance(v, MovieTemplate) and not k.startswith("_")
            ]
            found = candidates[0] if len(candidates) == 1 else None
        if found is None:
            fail(
                f"{path.name} defines no {name or 'template'!r}; assign a MovieTemplate (or a "
                "function row -> Movie) to a module-level variable named 'template', or "
                f"pick one: {path.name}:NAME",
                code=2,
            )
        return found if isinstance(found, MovieTemplate) else MovieTemplate(found)
    if len(source) == TEMPLATE_ID_LENGTH and source.isalnum() and not path.exists():
        return MovieTemplate.from_service(_client(base_url, poll_interval), source)
    fail(
        f"TEMPLATE must be a .py script, a .json movie or a 20-character template id; "
        f"got {source!r}",
        code=2,
    )


def _print_problems(
    problems: Sequence[RowProblem], as_json: bool, estimate: BatchEstimate | None = None
) -> None:
    if as_json:
        found = estimate.to_dict() if estimate is not None else None
        print_json(
            {"ok": not problems, "problems": [p.to_dict() for p in problems], "estimate": found}
        )
        return
    for problem in problems:
        err.print(str(problem), markup=False, highlight=False)


@contextmanager
def _progress(console: Console) -> Iterator[BatchEventHandler]:
    """A Rich progress bar drawing a run's events: rows finished of all, and the counts."""
    from moviekit.batch._events import BatchEvent, BatchStarted

    bar = Progress(
        TextColumn("[bold]batch[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    )
    task = bar.add_task("", total=None)

    def draw(event: BatchEvent) -> None:
        counts = event.counts
        if isinstance(event, BatchStarted):
            bar.start()
        bar.update(
            task, total=counts.total, completed=counts.finished, description=counts.describe()
        )

    try:
        yield draw
    finally:
        bar.stop()


def _summary_table(result: BatchResult) -> Table:
    """The end-of-run table: rows per status, and the changed rows flagged."""
    table = Table(title="batch summary", show_header=True)
    table.add_column("status")
    table.add_column("rows", justify="right")
    for status, rows in result.counts.items():  # in the order of batch statuses
        table.add_row(status, str(rows))
    if result.changed:
        table.add_row("changed (flagged)", str(len(result.changed)))
    if result.not_saved:
        table.add_row("video not saved", str(len(result.not_saved)))
    return table


def _summary(result: BatchResult, console: Console) -> None:
    console.print(_summary_table(result))
    console.print(result.describe(), markup=False, highlight=False)


def _finish(result: BatchResult, results: Path | None, as_json: bool) -> None:
    if results is not None:
        err.print(f"results written to {result.write(results)}", markup=False)
    if as_json:
        print_json(
            {
                "counts": result.counts,
                "changed": result.changed,
                "stopped": result.stopped,
                "rows": [r.to_dict() for r in result.rows],
            }
        )


@batch_app.command("check")
def check(
    template: str = _TEMPLATE,
    rows: Path = _ROWS,  # noqa: B008
    key: str | None = _KEY,
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Dry run: build and validate every row, list every problem and the cost; send nothing."""
    from moviekit.batch._batch import Batch

    with friendly_errors():
        loaded = _load_template(template, base_url, None)
        # A saved template's movie is read (free) to estimate its rows.
        client = _client(base_url, None) if loaded.template_id else None
        dry = Batch(loaded, rows, key=key, client=client).dry_run(estimate=True)
        _print_problems(dry.problems, as_json, dry.estimate)
        head = f"{len(dry.built)} row(s): {len(dry.good)} ok, {len(dry.bad_keys)} bad"
        err.print(head, markup=False)
        if dry.estimate is not None:
            err.print(f"estimate: {dry.estimate.text}", markup=False, highlight=False)
        if not dry.ok:
            raise typer.Exit(1)


@batch_app.command("run")
def run(
    template: str = _TEMPLATE,
    rows: Path = _ROWS,  # noqa: B008
    key: str | None = _KEY,
    ledger: str = _LEDGER,
    concurrency: int = typer.Option(8, "--concurrency", "-c", min=1, help="Rows in flight."),
    plan_concurrency: int | None = typer.Option(
        None,
        "--plan-concurrency",
        min=1,
        help="Your plan's limit of renders at once, shared by every worker of a postgresql:// "
        "ledger (default: the one stored, else the first worker's --concurrency).",
    ),
    download: Path | None = typer.Option(None, "--download", "-d", help="Save videos here."),  # noqa: B008
    results: Path | None = typer.Option(None, "--results", "-r", help="Write .csv/.jsonl."),  # noqa: B008
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Submit failed rows again."),
    rerender_changed: bool = typer.Option(
        False, "--rerender-changed", help="Render rows again whose payload changed."
    ),
    skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help="Render the good rows."),
    poll_interval: float | None = typer.Option(
        None, "--poll-interval", help="Seconds between checks (< 5 only for a local server)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every row's result as JSON."),
    max_credits: float | None = MAX_CREDITS_OPTION,
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Dry run, then render every row not done yet. Re-run the same command to resume."""
    from moviekit.batch._batch import Batch

    with friendly_errors():
        client = _client(base_url, poll_interval)
        batch = Batch(
            _load_template(template, base_url, poll_interval),
            rows,
            key=key,
            ledger=_ledger(ledger),
            client=client,
            concurrency=concurrency,
            plan_concurrency=plan_concurrency,
            max_credits=max_credits,
        )
        try:
            with _progress(err) as draw:
                result = batch.run(
                    skip_bad_rows=skip_bad_rows,
                    retry_failed=retry_failed,
                    rerender_changed=rerender_changed,
                    download_to=download,
                    on_event=draw,
                )
        except BatchValidationError as exc:
            _print_problems(exc.problems, as_json)
            fail(
                f"{len(exc.row_keys)} bad row(s); nothing was submitted (fix them, or pass "
                "--skip-bad-rows)"
            )
        _summary(result, err)
        _finish(result, results, as_json)
        if not result.ok:
            raise typer.Exit(1)


@batch_app.command("report")
def report(
    template: str = _TEMPLATE,
    rows: Path = _ROWS,  # noqa: B008
    key: str | None = _KEY,
    ledger: str = _LEDGER,
    results: Path | None = typer.Option(None, "--results", "-r", help="Write .csv/.jsonl."),  # noqa: B008
    as_json: bool = typer.Option(False, "--json", help="Print every row's result as JSON."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """What the ledger says about every row (sends nothing)."""
    from moviekit.batch._batch import Batch

    with friendly_errors():
        where = _ledger(ledger)
        if isinstance(where, Path) and not where.exists():
            fail(f"no ledger at {ledger}; run `moviekit batch run` first", code=2)
        batch = Batch(_load_template(template, base_url, None), rows, key=key, ledger=where)
        result = batch.report()
        if not as_json:
            _summary(result, out)
        _finish(result, results, as_json)


@batch_app.command("migrate")
def migrate(
    source: Path = typer.Argument(..., help="The batch's SQLite ledger."),  # noqa: B008
    target: str = typer.Argument(..., help="The postgresql:// URL of an empty ledger."),
) -> None:
    """Move a batch from its SQLite ledger to PostgreSQL, where many workers can share it."""
    from moviekit.batch._migrate import migrate_ledger
    from moviekit.batch._postgres import is_database_url, redacted_url

    with friendly_errors():
        if not is_database_url(target):
            fail("TARGET must be a postgresql:// URL (postgresql://user@host:5432/db)", code=2)
        if not source.is_file():
            fail(f"no ledger at {source}", code=2)
        moved = migrate_ledger(source, target)
        err.print(
            f"{moved} row(s) moved to {redacted_url(target)}; {source} now refuses runs: "
            "run the batch with --ledger set to the URL",
            markup=False,
        )


app.add_typer(batch_app)

__all__ = ["batch_app", "check", "migrate", "report", "run"]
