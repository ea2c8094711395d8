"""The ``ocrclean`` command line: a thin click layer over :mod:`pipeline.api` and friends.

Every error the user can act on is an :class:`~pipeline.errors.OcrcleanError`
and comes out as one line on stderr with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from pipeline import __version__
from pipeline.errors import OcrcleanError
from pipeline.executors import EXECUTORS
from pipeline.export.registry import format_help, format_names

if TYPE_CHECKING:
    from pipeline.context import Config

#: Bytes `ocrclean restore` holds in memory before it spills the checked-later result to a temporary file.
RESTORE_SPOOL = 16 * 1024 * 1024


def _emit(blob: bytes, output: Path | None) -> None:
    """Write a command's result to stdout, or atomically to ``output`` (never half a file)."""
    _stream(lambda fh: fh.write(blob), output)


def _stream(write: Callable[[BinaryIO], object], output: Path | None) -> None:
    """Write a command's result as it is made: to stdout, or atomically to ``output`` (:func:`_write_file`)."""
    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.flush()
        return
    _write_file(output, write)


def _write_file(output: Path, write: Callable[[BinaryIO], object]) -> None:
    """Fill ``output`` with ``write(fh)`` through a temporary file beside it, renamed into place only
    when ``write`` returned (what ``write`` raises leaves ``output`` unchanged and no temporary file)."""
    from pipeline.files import commit_staged, write_staged

    if not output.parent.exists():
        raise OcrcleanError(f"{output.parent}: no such folder")
    try:
        commit_staged(write_staged(output, write), output)
    except OSError as exc:
        raise OcrcleanError(f"{output}: cannot write ({exc.strerror})") from None


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"ocrclean: error: {message}", err=True)
    sys.exit(code)


def _scheme_names() -> list[str]:
    from pipeline.names.romanize import SCHEMES

    return ["canonical", *SCHEMES]


def _remember_modern_names(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["ocrclean.modern_names"] = True
    return value


def name_options(func: Callable[..., None]) -> Callable[..., None]:
    """``--config``, ``--scheme``, ``--authority`` and ``--modern-names``: the settings of name normalization."""
    func = click.option("--modern-names", is_flag=True, expose_value=False, callback=_remember_modern_names,
                        help="Write other names of an entity (Petrograd, Port Arthur) as its canonical name "
                             "too; by default only respellings are normalized.")(func)
    func = click.option("--authority", "authority", multiple=True, type=click.Path(path_type=Path),
                        help="An authority file (TSV) layered over the shipped one; repeatable.")(func)
    func = click.option("--scheme", type=click.Choice(_scheme_names()), default=None,
                        help="Target form of names: the authority's canonical form (default) or a "
                             "romanization system.")(func)
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="A TOML file of settings (min_confidence, normalize, scheme, "
                                           "authority, model); options given here win.")(func)
    return func


def model_option(func: Callable[..., None]) -> Callable[..., None]:
    """``--model``: the channel model of the word corrector; ``--disable``: stages to skip."""
    from pipeline.stages import OPTIONAL_STAGES

    func = click.option("--disable", "disable", multiple=True, metavar="STAGE[/RULE]",
                        help=f"Skip a stage ({', '.join(OPTIONAL_STAGES)}) or one rule of it "
                             "(punctuation/space-before-punctuation); repeatable.")(func)
    return click.option("--model", "model", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="A channel model made by `ocrclean train` (default: the shipped one).")(func)


def make_config(config_file: Path | None, *, min_confidence: float | None = None, no_normalize: bool = False,
                scheme: str | None = None, authority: tuple[Path, ...] = (), model: Path | None = None,
                disable: tuple[str, ...] = ()) -> Config:
    """The run's settings: defaults, then the config file, then the options given on the command line."""
    from pipeline.config import Config, load_config

    overrides: dict[str, object] = {"min_confidence": min_confidence, "scheme": scheme,
                                    "model": str(model) if model is not None else None}
    if no_normalize:
        overrides["normalize"] = False
    context = click.get_current_context(silent=True)
    if context is not None and context.meta.get("ocrclean.modern_names"):
        overrides["modern_names"] = True
    base = load_config(config_file) if config_file is not None else Config()
    files = tuple(base.authority) + tuple(str(p) for p in authority)
    for path in files:
        if not Path(path).is_file():
            raise OcrcleanError(f"{path}: no such authority file")
    values = {k: v for k, v in overrides.items() if v is not None}
    from pipeline.stages import check_disabled

    config = replace(base, authority=files, disabled=base.disabled | check_disabled(disable),
                     **values)  # type: ignore[arg-type]
    from pipeline.names.authority import load_authority

    load_authority(config.authority)  # a malformed authority file fails here, in one line
    if config.model:
        from pipeline.correction import load_channel

        load_channel(config.model)  # so does a file that is not a channel model
    return config


def review_options(func: Callable[..., None]) -> Callable[..., None]:
    """``--report/--no-report`` and ``--decisions``: the review's part of a run."""
    func = click.option("--decisions", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The review's decisions file to obey.  [default: "
                             "OUT_DIR/../reviews/OUT_NAME/decisions.jsonl, when it exists]")(func)
    func = click.option("--report/--no-report", default=True, show_default=True,
                        help="Write the HTML report (OUT_DIR/report/: a page per document and index.htm).")(func)
    return func


def _decisions_for_run(out_dir: Path, given: Path | None) -> Path | None:
    """The decisions file a run obeys: the one given (it must exist), else the default one if it exists."""
    from pipeline.review.decisions import default_path

    if given is not None:
        if not given.is_file():
            raise OcrcleanError(f"{given}: no such decisions file")
        return given
    found = default_path(out_dir)
    return found if found.is_file() else None


def _echo_review(out_dir: Path, decisions: Path | None, report: bool) -> None:
    """Where the report is, and every decision the run could not obey (never silently dropped)."""
    import json

    if report:
        from pipeline.review.report import INDEX_PAGE

        click.echo(f"ocrclean: report: {out_dir / 'report' / INDEX_PAGE}", err=True)
    if decisions is None:
        return
    try:
        section = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")).get("review", {})
    except (OSError, ValueError):
        return
    from pipeline.review.apply import Outcome

    missed = section.get("not_applied", [])
    click.echo(f"ocrclean: decisions: {decisions}: {section.get('applied', 0)} applied, {len(missed)} not applied",
               err=True)
    for record in missed:
        click.echo(f"ocrclean: warning: decision not applied: {Outcome(**record).describe()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ocrclean")
def main() -> None:
    """Clean OCR output of historical texts into reading text, TEI and JSONL."""


@main.command()
@click.argument("file", default="-", type=str)
@click.option("--format", "fmt", type=click.Choice(format_names()), default="txt", show_default=True,
              help=f"Output format ({format_help()}).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Corrections below this confidence are recorded as suggestions, not applied.  [default: 0.5]")
@click.option("--no-normalize", is_flag=True, help="Keep names as printed (still tagged in the TEI).")
@name_options
@model_option
def clean(file: str, fmt: str, output: Path | None, min_confidence: float | None, no_normalize: bool,
          config_file: Path | None, scheme: str | None, authority: tuple[Path, ...], model: Path | None,
          disable: tuple[str, ...]) -> None:
    """Clean one document (FILE, or - for stdin) and print it."""
    from pipeline.api import clean_bytes, read_input
    from pipeline.export.registry import Source, write_format
    from pipeline.stages.decode import decode_bytes

    # Memory that does not grow with the input (issue 9): the bytes are dropped once hashed and decoded,
    # a long input's finished windows are spilled to a temporary file (``spill``), and the output is
    # written as it is made (to a temporary file beside ``-o``, renamed when complete), never held whole.
    try:
        config = make_config(config_file, min_confidence=min_confidence, no_normalize=no_normalize,
                             scheme=scheme, authority=authority, model=model, disable=disable)
        if file == "-":
            data, name = sys.stdin.buffer.read(), "stdin.txt"
        else:
            data, name = read_input(Path(file)), Path(file).name
        source = Source.of(name, data)
        try:
            decoded = decode_bytes(data)
            del data
            doc = clean_bytes(b"", name, config, decoded=decoded, spill=True)
        except OcrcleanError as exc:
            raise OcrcleanError(f"{name}: {exc}") from None
        del decoded
        if not any(part.strip() for part in doc.text_parts()):
            click.echo(f"ocrclean: warning: {name}: no text in the input (empty or blank)", err=True)
        _stream(lambda fh: write_format(doc, source, fmt, fh), output)
    except OcrcleanError as exc:
        _fail(str(exc))


def _formats(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [n for n in names if n not in format_names()]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r} (choose from {', '.join(format_names())})")
    return names


@main.command()
@click.argument("raw_dir", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Corrections below this confidence are only suggested.  [default: 0.5]")
@click.option("--no-normalize", is_flag=True, help="Keep names as printed (still tagged in the TEI).")
@name_options
@model_option
@review_options
@click.option("--workers", "-j", type=click.IntRange(1, None), default=None,
              help="Processes to clean with.  [default: the number of cores]")
@click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True,
              help="Where documents are cleaned: local processes or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Address of an existing Dask scheduler (tcp://host:8786); implies --executor dask.")
@click.option("--force", is_flag=True, help="Clean every document again, even those unchanged since the last run.")
@click.option("--formats", "formats", default=None, metavar="LIST",
              help=f"Comma-separated outputs to write (default all: {','.join(format_names())}).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Only inputs matching this pattern (repeatable; default *.txt). A pattern with / matches "
                   "the path under RAW_DIR, otherwise the file name.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out inputs matching this pattern (repeatable).")
@click.option("--recursive/--no-recursive", default=True, show_default=True,
              help="Descend into sub-folders (their paths are kept under OUT_DIR).")
@click.option("--max-memory", type=click.IntRange(64, None), default=4096, show_default=True, metavar="MB",
              help="Memory budget per document; a document that needs more fails alone.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress and no table; errors only (with --log-format json: the JSON summary line too).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object per document and a summary line on stderr.")
def run(raw_dir: Path, out_dir: Path, min_confidence: float | None, no_normalize: bool,
        config_file: Path | None, scheme: str | None, authority: tuple[Path, ...], model: Path | None,
        disable: tuple[str, ...], report: bool, decisions: Path | None,
        workers: int | None, executor: str, scheduler: str | None, force: bool, formats: str | None,
        include: tuple[str, ...], exclude: tuple[str, ...], recursive: bool, max_memory: int, quiet: bool,
        log_format: str) -> None:
    """Clean every text file under RAW_DIR into OUT_DIR (txt, TEI, edits, jsonl, manifest.json,
    and the HTML report in OUT_DIR/report/), obeying the review's decisions.

    Documents unchanged since the last run into OUT_DIR are skipped; a run that was killed is
    completed by running it again.
    """
    from pipeline.batch import RunOptions, run_batch, summary_lines, summary_table

    mode = ("summary" if quiet else "json") if log_format == "json" else "quiet" if quiet else "auto"
    options = RunOptions(workers=workers, executor=executor, scheduler=scheduler, force=force,
                         formats=_formats(formats), include=include, exclude=exclude, recursive=recursive,
                         max_memory_mb=max_memory, progress=mode)
    try:
        config = make_config(config_file, min_confidence=min_confidence, no_normalize=no_normalize,
                             scheme=scheme, authority=authority, model=model, disable=disable)
        decisions_file = _decisions_for_run(out_dir, decisions)
        options = replace(options, report=report, decisions=decisions_file)
        done = run_batch(raw_dir, out_dir, config, options)
    except OcrcleanError as exc:
        _fail(str(exc))
        return
    if mode == "auto":
        click.echo(summary_table(done.results), err=True)
        click.echo(summary_lines(done), err=True)
    if mode == "auto":
        _echo_review(out_dir, decisions_file, report)
    for r in done.failed:
        click.echo(f"ocrclean: error: {r.name}: {r.error}", err=True)
    if not done.results:
        click.echo(f"ocrclean: error: no input files under {raw_dir}", err=True)
        sys.exit(1)
    if done.failed:
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (one row per entity spelling, ambiguity, candidate).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@name_options
def names(inputs: tuple[Path, ...], as_csv: bool, output: Path | None, config_file: Path | None,
          scheme: str | None, authority: tuple[Path, ...]) -> None:
    """Report the names of a corpus (RAW_DIR or FILES): entities with their spellings, counts and
    documents, ambiguous occurrences left as printed, and name-like spellings no entry matched."""
    from pipeline.reports.names import collect_inputs, format_table, names_report, to_csv

    try:
        config = make_config(config_file, scheme=scheme, authority=authority)
        report = names_report(collect_inputs(list(inputs)), config)
        _emit((to_csv(report) if as_csv else format_table(report)).encode("utf-8"), output)
    except OcrcleanError as exc:
        _fail(str(exc))


@main.command()
@click.argument("tei_file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
def restore(tei_file: Path, output: Path | None) -> None:
    """Write the original input of a TEI file back, byte for byte."""
    import shutil
    import tempfile

    from pipeline.errors import InputError, TeiError
    from pipeline.tei.restore import restore_stream

    # Read as a stream (memory does not grow with the file), written only once the digest matched:
    # with -o through a temporary file beside the target, renamed on success; to stdout through a
    # spooled buffer (in memory up to RESTORE_SPOOL bytes, then an unlinked temporary file).
    try:
        try:
            source = tei_file.open("rb")
        except FileNotFoundError:
            raise OcrcleanError(f"{tei_file}: no such file") from None
        except OSError as exc:
            raise OcrcleanError(f"{tei_file}: cannot read ({exc.strerror})") from None
        with source:
            try:
                if output is not None:
                    _write_file(output, lambda fh: restore_stream(source, fh))
                    return
                with tempfile.SpooledTemporaryFile(max_size=RESTORE_SPOOL) as held:
                    try:
                        restore_stream(source, held)
                    except OSError as exc:
                        raise OcrcleanError(f"cannot hold the restored bytes in a temporary file "
                                            f"({exc.strerror})") from None
                    held.seek(0)
                    shutil.copyfileobj(held, sys.stdout.buffer)
                    sys.stdout.flush()
            except (TeiError, InputError) as exc:
                raise OcrcleanError(f"{tei_file}: {exc}") from None
    except OcrcleanError as exc:
        _fail(str(exc))


@main.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--pred", "pred_dir", type=click.Path(path_type=Path), default=None,
              help="Score outputs already written to this folder (<stem>.txt, or <stem>.raw.txt as `ocrclean run` "
                   "names the output of <stem>.raw.txt) instead of cleaning the raw side now.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--errors", is_flag=True, help="List the remaining differences, grouped by kind.")
@click.option("--max-examples", type=int, default=10, show_default=True)
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True)
@click.option("--normalize/--no-normalize", "normalize", default=None,
              help="Normalize names while cleaning. Default: off, as the reference scorer cleans; "
                   "the output says which.")
@click.option("--icdar-conventions/--no-icdar-conventions", "icdar_conventions", default=None,
              help="Leave the ICDAR 2017 gold's printed line-break hyphens (`com- prises`) and spaces before "
                   ", . ; : ! ? out of the comparison, on both sides. Default: on for ICDAR files, off otherwise.")
@model_option
def eval_cmd(gold: Path, pred_dir: Path | None, as_json: bool, errors: bool, max_examples: int,
             min_confidence: float, normalize: bool | None, icdar_conventions: bool | None, model: Path | None,
             disable: tuple[str, ...]) -> None:
    """Score the pipeline against ground truth in GOLD (a folder or file).

    GOLD holds <stem>.raw.txt + <stem>.gold.txt pairs (gold in the CONVENTIONS.md format
    or plain text) and/or ICDAR 2017 files, or is a folder with raw/ and gold/ subfolders of
    same-named files (the OverProof layout; other subfolders such as overproof/ are other
    correctors' outputs, shown side by side; scored hyphen-neutral). Without --pred the raw side
    is cleaned now: pairs and ICDAR files one at a time, a raw/ folder as one collection.
    """
    from pipeline import evaluate as ev

    try:
        if not gold.exists():
            raise OcrcleanError(f"{gold}: no such file or folder")
        if pred_dir is not None and normalize is not None:
            raise OcrcleanError("--normalize/--no-normalize choose how to clean; with --pred the outputs are "
                                "already made (the run's manifest.json says whether names were normalized)")
        if pred_dir is not None and (model is not None or disable):
            raise OcrcleanError("--model and --disable choose how to clean; with --pred the outputs are already made")
        try:
            sources = ev.load_gold_dir(gold, icdar_conventions=icdar_conventions)
            if pred_dir is not None:
                result = ev.read_predictions(sources, pred_dir)
            else:
                from pipeline.evaluation.runner import evaluate_with_pipeline

                config = replace(make_config(None, min_confidence=min_confidence, model=model, disable=disable),
                                 normalize=bool(normalize))
                result = evaluate_with_pipeline(sources, config)
        except ValueError as exc:
            raise OcrcleanError(str(exc)) from None
        if errors:
            report = ev.evaluation_errors(result)
            if as_json:
                import json

                click.echo(json.dumps({**result.to_dict(), "errors": report.to_dict()}, ensure_ascii=False,
                                      indent=2))
            else:
                click.echo(ev.format_table(result))
                click.echo(ev.format_error_report(report, max_examples))
        else:
            click.echo(ev.to_json(result) if as_json else ev.format_table(result))
    except OcrcleanError as exc:
        _fail(str(exc))


@main.command()
@click.argument("pairs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the model (JSON).")
def train(pairs: tuple[Path, ...], output: Path) -> None:
    """Fit the OCR error model (channel model) to your own corrected pages.

    PAIRS are folders or files in the formats `eval` reads: <stem>.raw.txt beside
    <stem>.gold.txt, ICDAR 2017 files, or a folder with raw/ and gold/ subfolders of
    same-named files. Use the model with `clean`/`run --model MODEL` or `model = "..."` in
    the config file. A few pages of your collection teach the confusions of its type and
    scanner; the word model is unchanged.
    """
    from pipeline.correction.train import train as fit

    try:
        model = fit(list(pairs))
        try:
            model.save(output)
        except OSError as exc:
            raise OcrcleanError(f"{output}: cannot write ({exc.strerror})") from None
    except OcrcleanError as exc:
        _fail(str(exc))
    click.echo(f"{output}: {model.pairs} word pairs, {model.errors} characters misread, "
               f"{len(model.confusions)} kinds of confusion", err=True)


@main.command()
@click.argument("target", type=str)
@click.option("--stage", "stages", multiple=True, help="Only changes of this stage; repeatable.")
@click.option("--rule", "rules", multiple=True, help="Only changes of this rule (RULE or STAGE/RULE); repeatable.")
@click.option("--min-confidence", "min_conf", type=click.FloatRange(0.0, 1.0), default=0.0,
              help="Only changes at least this confident.")
@click.option("--max-confidence", "max_conf", type=click.FloatRange(0.0, 1.0), default=1.0,
              help="Only changes at most this confident.")
@click.option("--format", "fmt", type=click.Choice(["words", "unified"]), default="words", show_default=True,
              help="words: one labelled line per change; unified: a unified diff of the text (patch -p1 reads it).")
@click.option("--suggestions", is_flag=True, help="Also list changes only suggested or rejected (words format).")
@click.option("--color/--no-color", default=None, help="Colour the words format (default: on a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
def diff(target: str, stages: tuple[str, ...], rules: tuple[str, ...], min_conf: float, max_conf: float, fmt: str,
         suggestions: bool, color: bool | None, output: Path | None) -> None:
    """Show what cleaning changed, word by word, each change with its stage, rule and confidence.

    TARGET is OUT_DIR/STEM (or OUT_DIR/STEM.txt) of a finished run with its report, or an input
    FILE, cleaned now with the default settings."""
    from pipeline.review.diff import EditFilter, unified_diff, word_diff
    from pipeline.review.source import view_for_target

    try:
        view = view_for_target(Path(target))
        flt = EditFilter(frozenset(stages), frozenset(rules), min_conf, max_conf)
        if fmt == "unified":
            text = unified_diff(view, flt)
        else:
            use_color = (output is None and sys.stdout.isatty()) if color is None else color
            text = word_diff(view, flt, color=use_color, suggestions=suggestions)
        _emit(text.encode("utf-8"), output)
    except OcrcleanError as exc:
        _fail(str(exc))


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--decisions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where decisions are saved.  [default: OUT_DIR/../reviews/OUT_NAME/decisions.jsonl]")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep it local).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one, printed).")
@click.option("--reviewer", default=None, help="Name decisions are recorded under (default: your login name).")
@click.option("--open/--no-open", "open_browser", default=False, help="Open the app in a web browser.")
def review(out_dir: Path, decisions: Path | None, host: str, port: int, reviewer: str | None,
           open_browser: bool) -> None:
    """Review a finished run in the browser: accept, reject or correct each change (Ctrl-C stops)."""
    from pipeline.review.app import make_server
    from pipeline.review.decisions import default_path
    from pipeline.review.decisions import reviewer as login_name

    try:
        server = make_server(out_dir, decisions or default_path(out_dir), reviewer or login_name(),
                             host=host, port=port)
    except OcrcleanError as exc:
        _fail(str(exc))
        return
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"ocrclean: warning: listening on {host}: others on the network can reach the app", err=True)
    click.echo(f"ocrclean review: {server.url} (decisions: {server.app.decisions}); Ctrl-C stops", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
