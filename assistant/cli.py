"""The `assistant` command line. Errors become one line on stderr and a non-zero exit."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.config import Settings, load_settings
from assistant.errors import AssistantError
from assistant.types import Filters

app = typer.Typer(help="Grounded answers over a collection of news articles.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Offline evaluation over a dataset of expected answers.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
keys_app = typer.Typer(help="API key helpers.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

stderr = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    first_line = " ".join(message.split())
    typer.echo(f"error: {first_line}", err=True)
    return typer.Exit(code)


def handle_errors(command: F) -> F:
    """Translate domain and configuration errors into a one-line message and exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AssistantError as exc:
            raise _fail(str(exc)) from None
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise _fail(f"invalid setting: {problems}", EXIT_USAGE) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", 130) from None

    return wrapper  # type: ignore[return-value]


def settings(ctx: typer.Context) -> Settings:
    overrides = ctx.obj or {}
    return load_settings(**overrides)


@app.callback()
def main(ctx: typer.Context,
         data_dir: Annotated[Path | None, typer.Option(help="Overrides ASSISTANT_DATA_DIR.")] = None) -> None:
    ctx.obj = {"data_dir": data_dir} if data_dir else {}


@app.command()
@handle_errors
def ingest(ctx: typer.Context,
           paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: seeds/).")] = None,
           prune: Annotated[bool, typer.Option(help="Remove articles whose files are gone.")] = False) -> None:
    """Clean, chunk, embed and store articles. Idempotent: unchanged files are skipped."""
    from assistant.factory import build_ingestor
    from assistant.ingest.ingestor import discover

    targets = paths or [Path("seeds")]
    ingestor = build_ingestor(settings(ctx))
    files, _ = discover(targets)
    columns = (TextColumn("[bold]ingest[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[chunks]} chunks"), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=not stderr.is_terminal) as bar:
        task = bar.add_task("", total=len(files), chunks=0)

        def advance(label: str, chunks: int) -> None:
            done = bar.tasks[0].fields["chunks"] + chunks
            bar.update(task, advance=1, description=label, chunks=done)

        report = ingestor.ingest_paths(targets, prune=prune, progress=advance)
    for path, reason in report.failed:
        typer.echo(f"error: {path}: {reason}", err=True)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(EXIT_ERROR)


SinceOption = typer.Option(help="Only articles published on or after this day (YYYY-MM-DD); undated ones are out.")
UntilOption = typer.Option(help="Only articles published on or before this day (YYYY-MM-DD); undated ones are out.")


def _filters(article: list[str] | None, outlet: list[str] | None, since: str | None, until: str | None) -> Filters:
    from assistant.text.dates import parse_day

    return Filters(tuple(article or ()), tuple(outlet or ()), parse_day(since, "--since") if since else None,
                   parse_day(until, "--until") if until else None)


def _source(title: str, outlet: str | None, published: str | None) -> str:
    """`title — outlet, 2025-01-16` on one line (the title shortened)."""
    from assistant.ingest.metadata import display_title

    return f"{display_title(title)} — {outlet or 'unknown outlet'}" + (f", {published}" if published else "")


@app.command()
@handle_errors
def retrieve(ctx: typer.Context,
             question: Annotated[str, typer.Argument(help="The question.")],
             k: Annotated[int, typer.Option("--k", "-k", help="How many passages (1–50).")] = 5,
             as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
             article: Annotated[list[str] | None, typer.Option(help="Only this article id (repeatable).")] = None,
             outlet: Annotated[list[str] | None, typer.Option(help="Only this outlet (repeatable).")] = None,
             since: Annotated[str | None, SinceOption] = None,
             until: Annotated[str | None, UntilOption] = None) -> None:
    """Show the top passages for a question, with fused scores and per-leg ranks."""
    from assistant.factory import build_retriever

    retriever = build_retriever(settings(ctx))
    hits = retriever.retrieve(question, k=k, filters=_filters(article, outlet, since, until))
    if as_json:
        typer.echo(json.dumps([h.contract_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no passages found")
    for hit in hits:
        legs = " ".join(f"{leg}={rank if rank else '-'}" for leg, rank in hit.legs.items())
        typer.echo(f"[{hit.rank}] {hit.article_id}  {hit.chunk_id}  score={hit.score:.4f}  {legs}")
        typer.echo(f"    {_source(hit.title, hit.outlet, hit.published)}")
        typer.echo("    " + hit.text.replace("\n", "\n    "))


@app.command()
@handle_errors
def ask(ctx: typer.Context,
        question: Annotated[str, typer.Argument(help="The question (Simplified, Traditional or English).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON.")] = False,
        k: Annotated[int | None, typer.Option("--k", "-k", help="Passages to retrieve (1–50).")] = None,
        since: Annotated[str | None, SinceOption] = None,
        until: Annotated[str | None, UntilOption] = None) -> None:
    """Answer a question from the articles, with [n] citations."""
    from assistant.factory import build_engine

    filters = _filters(None, None, since, until)
    answer = build_engine(settings(ctx)).answer(question, k=k, filters=filters if filters.restricts else None)
    if as_json:
        typer.echo(json.dumps(answer.contract_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.answer)
    if answer.citations:
        typer.echo("")
    for c in answer.citations:
        typer.echo(f"[{c.n}] {_source(c.title, c.outlet, c.published)} ({c.chunk_id})")


LlmChoice = typer.Option(help="Answerer: fake (offline LLM stand-in), extractive or openai; default: settings.")


@eval_app.command("run")
@handle_errors
def eval_run(ctx: typer.Context,
             datasets: Annotated[list[Path], typer.Argument(help="JSON Lines datasets (items or conversations).")],
             out: Annotated[Path | None, typer.Option(help="Results file (JSON); .md and .html go next to it.")] = None,
             llm: Annotated[str | None, LlmChoice] = None,
             baseline: Annotated[list[str] | None, typer.Option(help="Also run naive and/or bm25.")] = None,
             corpus: Annotated[list[Path] | None, typer.Option(help="Articles for the naive baseline.")] = None,
             compare: Annotated[Path | None, typer.Option(help="Earlier results file: print the deltas.")] = None,
             fail_under: Annotated[list[str] | None, typer.Option(help="metric=value; exit 1 below it.")] = None,
             gates: Annotated[Path | None, typer.Option(help="Gates file (TOML), table per answerer.")] = None,
             ) -> None:
    """Run every item through retrieval and answering, write results and reports, print the metrics."""
    from assistant.evals.dataset import load_datasets
    from assistant.evals.gates import parse_fail_under, render
    from assistant.evals.suite import SuiteRequest, run_suite

    config = settings(ctx) if llm is None else load_settings(**(ctx.obj or {}), llm=llm)
    data = load_datasets(datasets)
    target = out or Path("evals") / "results" / f"{datasets[0].stem}.json"
    request = SuiteRequest(data, target, tuple(baseline or ()), tuple(corpus or [Path("seeds")]), compare, gates,
                           tuple(parse_fail_under(spec) for spec in fail_under or ()))
    runs = 1 + len(request.baselines)
    with Progress(TextColumn("[bold]eval[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=stderr, disable=not stderr.is_terminal) as bar:
        task = bar.add_task("", total=len(data) * runs)
        suite = run_suite(config, request, progress=lambda item_id: bar.update(task, advance=1,
                                                                               description=item_id))
    _print_metrics(suite.results, suite.previous)
    typer.echo("results written to " + ", ".join(str(p) for p in suite.reports))
    if suite.gates:
        typer.echo(render(suite.gates))
    if suite.failed_gates:
        raise _fail(f"{len(suite.failed_gates)} quality gate(s) failed: "
                    + ", ".join(str(g.gate) for g in suite.failed_gates))


def _print_metrics(results: dict[str, Any], previous: dict[str, float] | None) -> None:
    from rich.table import Table

    from assistant.evals.report import Delta, fmt, metric_columns

    columns = metric_columns(results)
    table = Table(box=None, pad_edge=False)
    table.add_column("metric")
    for name, _ in columns:
        table.add_column(name if len(columns) > 1 or previous else "value", justify="right")
    if previous is not None:
        table.add_column("previous", justify="right")
        table.add_column("change", justify="right")
    for metric, value in results["metrics"].items():
        row = [metric] + [fmt(values.get(metric)) for _, values in columns]
        if previous is not None:
            delta = Delta(metric, previous.get(metric), value)
            change = "" if not delta.change else f"{delta.change:+g}" + (" worse" if delta.worse else "")
            row += [fmt(delta.before), change]
        table.add_row(*row)
    Console(width=160).print(table)


@eval_app.command("check")
@handle_errors
def eval_check(datasets: Annotated[list[Path], typer.Argument(help="JSON Lines datasets to check.")],
               corpus: Annotated[list[Path] | None, typer.Option(help="Articles the facts must come from.")] = None,
               ) -> None:
    """Reject malformed items: missing fields, unknown sources, facts found in none of their sources."""
    from assistant.evals.check import article_texts, check_dataset
    from assistant.evals.dataset import load_datasets

    data = load_datasets(datasets)
    problems = check_dataset(data, article_texts(corpus or ([data.corpus] if data.corpus else [Path("seeds")])))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise _fail(f"{len(problems)} problem(s) in {len(data)} items")
    typer.echo(f"ok: {len(data)} items in {len(datasets)} file(s)")


@app.command()
@handle_errors
def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
          log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info") -> None:
    """Serve the chat API (and the Slack endpoint when configured) with uvicorn.

    Beyond loopback it needs ASSISTANT_API_KEYS, or ASSISTANT_ALLOW_UNAUTHENTICATED=true."""
    from assistant.server import serve as run_server
    from assistant.serving.exposure import check_exposure

    current = settings(ctx)
    check_exposure(host, current)
    typer.echo(f"serving on http://{host}:{port} (docs at /docs)", err=True)
    run_server(current, host, port, log_level)


@app.command("slack")
@handle_errors
def slack_bot(ctx: typer.Context,
              socket: Annotated[bool, typer.Option("--socket", help="Connect through Socket Mode.")] = False) -> None:
    """Run the Slack bot in Socket Mode (for workspaces without a public URL)."""
    from assistant.errors import ConfigError

    if not socket:
        raise ConfigError("the HTTP Slack endpoint runs inside `assistant serve` at /slack/events; "
                          "pass --socket for Socket Mode")
    from assistant.server import socket_mode_handler

    handler = socket_mode_handler(settings(ctx))
    typer.echo("Slack bot connected through Socket Mode; Ctrl-C to stop", err=True)
    handler.start()


@keys_app.command("hash")
def keys_hash(key: Annotated[str, typer.Argument(help="The API key to hash.")]) -> None:
    """Print the `sha256:` form of a key, to put in ASSISTANT_API_KEYS instead of the key itself."""
    from assistant.serving.auth import hash_key

    typer.echo(hash_key(key))


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `assistant retrieve … | head`
        sys.exit(0)


if __name__ == "__main__":
    run()
