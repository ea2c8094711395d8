"""Benchmark ocrclean against the tools a user would otherwise pick, on the same inputs and measure.

Why this script exists: a claim that the cleaner "helps" means little unless it is compared, on the
same pages and with the same scorer, with the raw text and with the off-the-shelf correctors people
reach for first (symspellpy, pyspellchecker, ftfy plus a few regular expressions). Every system is
a plain ``str -> str`` function; all of them are scored with the project's own metric
(:mod:`pipeline.evaluate`, which agrees with ``shared/tools/score.py``) on

* ``pamphlet``: ``shared/gold/pamphlet/chunkN.raw.txt`` against the body of ``chunkN.gold.txt``;
* ``icdar``: the forty ICDAR 2017 files of ``shared/benchmarks/icdar2017/eng_monograph_dev``
  (the aligned OCR side is cleaned, exactly as the reference scorer does).

Cost is measured per system and dataset in a fresh child process (``--system NAME --json``), so
that one system's dictionaries, caches and imports cannot inflate or hide another's:

* seconds: ``time.perf_counter`` around importing the system's package, loading its
  dictionaries and cleaning every file of the dataset (reading inputs and scoring excluded);
* peak MB: the child's ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after cleaning, i.e. the
  peak resident set of the whole process (interpreter, harness, inputs and the system);
  ``+MB`` is that peak minus the high-water mark taken just before the system was imported,
  i.e. what the system itself added on top of the harness.

Peers are optional: a missing package is reported as skipped, never a crash
(``pip install -e .[peers]`` installs them).

Usage (from the project root)::

    python benchmarks/peers.py                       # every system on both datasets
    python benchmarks/peers.py --dataset icdar --systems raw,ocrclean,pyspellchecker
    python benchmarks/peers.py --json                # machine-readable results
    python benchmarks/peers.py --system ftfy-regex   # one system, in this process (what a child runs)
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
PEERS_HINT = "pip install -e .[peers]"

#: Where each dataset lives inside the shared folder.
DATASETS: dict[str, str] = {
    "pamphlet": "gold/pamphlet",
    "icdar": "benchmarks/icdar2017/eng_monograph_dev",
}

Cleaner = Callable[[str], str]

if str(ROOT) not in sys.path:
    # Run as ``python benchmarks/peers.py`` the script's own folder is on sys.path, not the project
    # root, and the project need not be pip-installed for its metric code to be importable.
    sys.path.insert(0, str(ROOT))


class Skipped(Exception):
    """A system that cannot run here, e.g. because its optional package is not installed."""


def _require(module: str, package: str) -> Any:
    """Import ``module`` or raise :class:`Skipped` naming the package to install.

    Peers are optional dependencies, so a missing one must become a "skipped" line in the report
    rather than an ImportError that kills the whole benchmark.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Skipped(f"{package} is not installed ({exc}); install the peers with `{PEERS_HINT}`") from None


def _version(package: str) -> str:
    """Installed version of ``package``, for the report (results depend on peer versions)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _per_line(fix: Callable[[str], str]) -> Cleaner:
    """Apply a one-line corrector to each non-blank line and keep the line breaks.

    The word-level peers work on short phrases (their cost grows with input length and they do
    not know about layout); blank lines are kept as they are so paragraphs survive.
    """

    def clean(text: str) -> str:
        return "\n".join(fix(line) if line.strip() else line for line in text.split("\n"))

    return clean


def _match_case(new: str, old: str) -> str:
    """Give a lower-case correction the case pattern of the word it replaces (ALL, Title, lower)."""
    if len(old) > 1 and old.isupper():
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# ---------------------------------------------------------------------------------------------
# Systems: each builder imports its package, loads its data and returns a str -> str cleaner.
# The builder is inside the timed region, so dictionary loading counts towards a system's time.
# ---------------------------------------------------------------------------------------------


def build_raw() -> Cleaner:
    """The untouched OCR: the baseline every cleaner must beat, file by file."""

    def identity(text: str) -> str:
        return text

    return identity


def build_ocrclean() -> Cleaner:
    """This pipeline, as ``ocrclean clean --format txt --no-normalize`` runs it (body only).

    The lexicon is loaded lazily on the first document; it is forced here so that "load" time
    means the same thing for every system.
    """
    from pipeline.api import Config, clean_text
    from pipeline.lexicon import get_lexicon

    get_lexicon()
    config = Config(normalize=False)

    def clean(text: str) -> str:
        return "\n\n".join(clean_text(text, config).paragraphs())

    return clean


def _symspell(max_edit_distance: int, bigrams: bool) -> Any:
    """A SymSpell loaded with the dictionaries bundled with symspellpy, as its docs show."""
    symspellpy = _require("symspellpy", "symspellpy")
    from importlib.resources import files

    sym = symspellpy.SymSpell(max_dictionary_edit_distance=max_edit_distance, prefix_length=7)
    data = files("symspellpy")
    if not sym.load_dictionary(str(data / "frequency_dictionary_en_82_765.txt"), term_index=0, count_index=1):
        raise Skipped("symspellpy's bundled frequency_dictionary_en_82_765.txt was not found")
    if bigrams and not sym.load_bigram_dictionary(
            str(data / "frequency_bigramdictionary_en_243_342.txt"), term_index=0, count_index=2):
        raise Skipped("symspellpy's bundled frequency_bigramdictionary_en_243_342.txt was not found")
    return sym


def build_symspell_compound() -> Cleaner:
    """symspellpy ``lookup_compound``, max edit distance 2, unigram + bigram dictionaries, per line.

    ``transfer_casing`` and ``ignore_non_words`` (numbers and acronyms left alone) are the most
    favourable documented flags: without them every line comes back in lower case, which would
    make the comparison a straw man. lookup_compound still drops all punctuation; that is the
    tool, not this wrapper.
    """
    sym = _symspell(max_edit_distance=2, bigrams=True)

    def fix(line: str) -> str:
        suggestions = sym.lookup_compound(line, max_edit_distance=2, ignore_non_words=True,
                                          transfer_casing=True)
        return suggestions[0].term if suggestions else line

    return _per_line(fix)


def build_symspell_segment() -> Cleaner:
    """symspellpy ``word_segmentation`` per line, configured as in its documentation example.

    That example (``max_dictionary_edit_distance=0``, unigram dictionary) only re-spaces text:
    OCR's run-together and split words are what a user would reach for it to fix. Note that the
    method itself deletes every ``-`` and NFKC-normalises the line.
    """
    sym = _symspell(max_edit_distance=0, bigrams=False)

    def fix(line: str) -> str:
        return str(sym.word_segmentation(line).corrected_string)

    return _per_line(fix)


_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def build_pyspellchecker() -> Cleaner:
    """pyspellchecker (English, distance 2): replace each unknown word token by ``correction()``.

    Only the word tokens are touched, so punctuation, digits, spacing and line breaks are kept;
    the correction gets the case pattern of the original token. Corrections are cached per
    lower-cased word because ``correction`` at distance 2 is slow and OCR errors repeat.
    """
    spellchecker = _require("spellchecker", "pyspellchecker")
    spell = spellchecker.SpellChecker(language="en", distance=2)
    cache: dict[str, str] = {}

    def fix_word(match: re.Match[str]) -> str:
        word = match.group(0)
        key = word.lower()
        if key not in cache:
            cache[key] = key if key in spell else (spell.correction(key) or key)
        fixed = cache[key]
        return word if fixed == key else _match_case(fixed, word)

    def clean(text: str) -> str:
        return _WORD_RE.sub(fix_word, text)

    return clean


def build_ftfy_regex() -> Cleaner:
    """ftfy.fix_text then the regular expressions a user would write first.

    Collapse runs of spaces and tabs (line breaks kept, 3+ newlines become a paragraph break),
    join end-of-line hyphenation ``(\\w)-\\n(\\w)`` and remove spaces before ``, . ; : ! ?``.
    """
    ftfy = _require("ftfy", "ftfy")

    def clean(text: str) -> str:
        text = ftfy.fix_text(text)
        text = re.sub(r"[^\S\n]+", " ", text)
        text = re.sub(r" ?\n ?", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
        return re.sub(r" +([,.;:!?])", r"\1", text)

    return clean


#: name -> (builder, package whose version is reported)
SYSTEMS: dict[str, tuple[Callable[[], Cleaner], str]] = {
    "raw": (build_raw, ""),
    "ocrclean": (build_ocrclean, "ocrclean"),
    "symspell-compound": (build_symspell_compound, "symspellpy"),
    "symspell-segment": (build_symspell_segment, "symspellpy"),
    "pyspellchecker": (build_pyspellchecker, "pyspellchecker"),
    "ftfy-regex": (build_ftfy_regex, "ftfy"),
}


# ---------------------------------------------------------------------------------------------
# Measuring one system on one dataset (this is what a child process runs)
# ---------------------------------------------------------------------------------------------


def _max_rss_mb() -> float | None:
    """The process's peak resident set so far in MB (None where ``resource`` does not exist)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _package_version(system: str) -> str:
    package = SYSTEMS[system][1]
    if not package:
        return "-"
    if package == "ocrclean":
        import pipeline

        return str(pipeline.__version__)
    return _version(package)


def run_system(system: str, dataset: str, shared: Path) -> dict[str, Any]:
    """Clean every file of ``dataset`` with ``system``, then time, measure memory and score it.

    Inputs are read and the harness imported before the clock starts and before the memory
    baseline, and scoring happens after both are read, so the numbers are the system's own.
    """
    from pipeline.evaluate import combine, load_gold_dir, score

    sources = load_gold_dir(shared / DATASETS[dataset])
    result: dict[str, Any] = {"system": system, "dataset": dataset, "files": len(sources),
                              "version": _package_version(system)}
    baseline = _max_rss_mb()
    start = time.perf_counter()
    try:
        clean = SYSTEMS[system][0]()
        loaded = time.perf_counter()
        preds = [clean(source.raw) for source in sources]
    except Skipped as exc:
        return {**result, "status": "skipped", "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a peer's bug must not stop the other measurements
        return {**result, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
    end = time.perf_counter()
    peak = _max_rss_mb()

    scores = [score(pred, source.gold.body) for pred, source in zip(preds, sources, strict=True)]
    raw_scores = [score(source.raw, source.gold.body) for source in sources]
    total, raw_total = combine(scores), combine(raw_scores)
    worse = [source.name for source, s, r in zip(sources, scores, raw_scores, strict=True)
             if s.char_edits > r.char_edits]
    return {**result, "status": "ok", **total.to_dict(), "raw_cer": raw_total.cer, "raw_wer": raw_total.wer,
            "files_worse": len(worse), "worse": worse,
            "seconds": end - start, "load_seconds": loaded - start,
            "peak_rss_mb": peak,
            "rss_added_mb": None if peak is None or baseline is None else peak - baseline}


def run_child(system: str, dataset: str, shared: Path, timeout: float) -> dict[str, Any]:
    """Run :func:`run_system` in a fresh interpreter so that its time and peak RSS are its own."""
    base: dict[str, Any] = {"system": system, "dataset": dataset}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--system", system, "--dataset", dataset,
           "--shared", str(shared), "--json"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {**base, "status": "failed", "reason": f"timed out after {timeout:.0f} s"}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        err = [line for line in proc.stderr.splitlines() if line.strip()]
        return {**base, "status": "failed",
                "reason": f"child exited with {proc.returncode}: {err[-1] if err else 'no output'}"}
    try:
        # The JSON is the child's last line: a library may have printed something before it.
        return dict(json.loads(lines[-1])[0])
    except (ValueError, IndexError, KeyError, TypeError):
        return {**base, "status": "failed", "reason": f"unreadable child output: {lines[-1][:200]}"}


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_results(results: Sequence[dict[str, Any]]) -> str:
    """A fixed-width table of the measured rows, then one line per skipped or failed run."""
    header = ("system", "dataset", "CER %", "WER %", "seconds", "load s", "peak MB", "+MB", "worse/files")
    rows = []
    notes = []
    for r in results:
        if r.get("status") != "ok":
            status = r.get("status", "failed")
            notes.append(f"{status} {r['system']} on {r['dataset']}: {r.get('reason', '?')}")
            continue
        rows.append((r["system"], r["dataset"], f"{100 * r['cer']:.2f}", f"{100 * r['wer']:.2f}",
                     f"{r['seconds']:.2f}", f"{r['load_seconds']:.2f}", _fmt(r["peak_rss_mb"], ".0f"),
                     _fmt(r["rss_added_mb"], ".0f"),
                     f"{r['files_worse']}/{r['files']}" if r["system"] != "raw" else f"-/{r['files']}"))
    out = []
    if rows:
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(row: Sequence[str]) -> str:
            left = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
            return "  ".join(left + [cell.rjust(w) for cell, w in zip(row[2:], widths[2:], strict=True)])

        out = [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
    versions = sorted({f"{r['system']} {r['version']}" for r in results
                       if r.get("status") == "ok" and r.get("version") not in (None, "-")})
    if versions:
        out.append("versions: " + ", ".join(versions))
    return "\n".join(out + notes)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Score ocrclean and its peers (CER, WER, seconds, peak memory) on the shared benchmarks.")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated systems to run (default: all: {','.join(SYSTEMS)})")
    parser.add_argument("--dataset", choices=["pamphlet", "icdar", "all"], default="all")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--system", choices=list(SYSTEMS),
                        help="measure this one system in the current process (what each child runs)")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds allowed per system and dataset (default: 3600)")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown or not names:
        bad = ", ".join(unknown) or "(none given)"
        parser.error(f"unknown system(s) {bad}; choose from {', '.join(SYSTEMS)}")
    args.system_list = [args.system] if args.system else names
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the requested systems on the requested datasets and print the table (or JSON)."""
    args = _parse_args(argv)
    shared: Path = args.shared.resolve()
    if not shared.is_dir():
        sys.exit(f"peers.py: shared folder not found at {shared} (give its location with --shared PATH)")
    datasets = list(DATASETS) if args.dataset == "all" else [args.dataset]
    for dataset in datasets:
        if not (shared / DATASETS[dataset]).is_dir():
            sys.exit(f"peers.py: {dataset} data not found at {shared / DATASETS[dataset]}")

    results = []
    for dataset in datasets:
        for system in args.system_list:
            if args.system:
                results.append(run_system(system, dataset, shared))
            else:
                print(f"running {system} on {dataset} ...", file=sys.stderr, flush=True)
                results.append(run_child(system, dataset, shared, args.timeout))
    print(json.dumps(results) if args.json else format_results(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
