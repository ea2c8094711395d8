"""The plain Python API: everything the CLI does goes through these functions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.context import Config, Context
from pipeline.document import PAGE_END, Document, Stitcher
from pipeline.errors import InputError
from pipeline.lexicon import Lexicon, get_lexicon
from pipeline.stages import FRAGMENT_STAGES, REPAIR_STAGES, check_disabled, decode

if TYPE_CHECKING:
    from pipeline.correction.corrector import Corrector
    from pipeline.names.match import FormIndex
    from pipeline.review.apply import DocDecisions

__all__ = ["Config", "Context", "clean_bytes", "clean_text", "clean_file", "clean_fragment", "name_index",
           "make_context"]


def name_index(config: Config) -> FormIndex:
    """The name forms of the shipped authority plus ``config.authority``'s files, for ``config.scheme``.

    Loaded and indexed once per process and setting (the files' modification times are part of
    the cache key, so an edited authority is re-read). An unknown scheme or a malformed authority
    file raises :class:`~pipeline.errors.OcrcleanError`."""
    from pipeline.config import check_scheme
    from pipeline.names.authority import load_authority
    from pipeline.names.match import cached_index

    check_scheme(config.scheme)
    return cached_index(load_authority(config.authority), config.scheme)


def make_context(config: Config, lexicon: Lexicon, facts: dict[str, object] | None = None,
                 previous_window: Corrector | None = None, noise_text: str | None = None) -> Context:
    """The context a stage receives: the settings, the lexicon and the name index factory
    (``previous_window``: the corrector of the window before, for a long document cleaned in windows;
    ``noise_text``: the whole input such a window belongs to, whose noise the corrector is scaled to)."""
    return Context(config, lexicon, facts={} if facts is None else facts, name_forms=name_index,
                   previous_window=previous_window, noise_text=noise_text)


def clean_bytes(data: bytes, name: str = "-", config: Config | None = None,
                lexicon: Lexicon | None = None, *, decisions: DocDecisions | None = None,
                decoded: tuple[str, dict[str, object]] | None = None, spill: bool = False) -> Document:
    """Run every stage on one document's bytes and return the edited document.

    ``lexicon``: by default the shared one; a lexicon that already counts the other
    documents of a collection (``get_lexicon().with_corpus(others)``) makes them evidence
    for the corpus-induced lexicon too, as a batch run does. ``decisions``: a reviewer's
    decisions about this document (see :mod:`pipeline.review.apply`), obeyed here; what each
    did is in ``doc.meta["review"]``. ``decoded``: ``decode_bytes(data)`` when the caller has already
    decoded the bytes (a batch worker needs the text before cleaning), so it is not done twice; ``data`` is
    then not read (a caller may pass ``b""`` and free the bytes).
    ``spill``: a long input's finished windows go to a temporary file as each is cleaned, and the
    document returned is a :class:`~pipeline.document.SpilledDocument` whose exports read them back one
    at a time (the same bytes; memory that does not grow with the input). Not with ``decisions``.
    """
    config = config or Config()
    check_disabled(config.disabled)
    lexicon = lexicon or get_lexicon()
    text, meta = decoded if decoded is not None else decode.decode_bytes(data)
    bounds = windows(text, WINDOW_CHARS)
    if len(bounds) == 1:
        ctx = make_context(config, lexicon)
        doc = _clean_window(Document(text, name=name, meta=meta), ctx, decisions)
        ctx.release()
    else:
        # a long input: each window is cleaned with the whole document (less itself) as corpus
        # evidence; the stages' line and token structures then grow with the window, not the input
        # (the loaded resources and the corrector's bounded caches dominate peak memory either way)
        whole = lexicon.with_corpus(text)
        # takes each window over as soon as it is cleaned (to disk when spilling)
        stitcher = Stitcher(name, meta, original=text, spill=spill and decisions is None)
        corrector = None  # the document's noise estimate and adapted channel pass from window to window
        for start, end in bounds:
            part = Document(text[start:end], name=name, meta=meta, offset=start)
            ctx = make_context(config, whole.without_corpus_text(part.original), previous_window=corrector,
                               noise_text=text)
            stitcher.add(_clean_window(part, ctx, decisions))
            corrector = ctx._corrector[2] if ctx._corrector is not None else corrector
            del part
        ctx.release()
        doc = stitcher.finish()
    if decisions is not None:
        decisions.apply(doc)
    return doc


#: Inputs longer than this many characters are cleaned in windows of about this size (see :func:`windows`).
WINDOW_CHARS = 250_000


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` tiling ``text`` in windows of at most ``size`` characters. Each ends, in
    its second half, after the last page end (:data:`PAGE_END`, so page furniture is seen whole), else
    after the last paragraph break (a blank line), else the last line end, else the last space, else
    at ``size`` (a run of letters longer than half a window). One span for a text that fits."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        lo, hi = start + size // 2, start + size
        pages = [m.end() for m in PAGE_END.finditer(text, lo, hi)]
        if pages:
            cut = pages[-1]
        elif (blank := text.rfind("\n\n", lo, hi - 1)) >= 0:
            cut = blank + 2
        elif (line := text.rfind("\n", lo, hi)) >= 0:
            cut = line + 1
        else:
            cut = text.rfind(" ", lo, hi) + 1 or hi
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _clean_window(doc: Document, ctx: Context, decisions: DocDecisions | None) -> Document:
    """Every stage on one document (or one window of a long one)."""
    config = ctx.config
    decode.run(doc, ctx)
    if decisions is not None:
        decisions.prepare(doc)
    for stage in REPAIR_STAGES:
        if stage.STAGE in config.disabled:
            continue
        if stage.STAGE in doc.stages_run:
            # a second pass sees the words the first passes repaired (and output stays a fixed point)
            ctx.refresh()
        stage.run(doc, ctx)
        if stage.STAGE not in doc.stages_run:
            doc.stages_run.append(stage.STAGE)
    _clean_furniture_text(doc, ctx)
    return doc


def clean_fragment(text: str, ctx: Context) -> Document:
    """Word-level repairs (spacing, characters, punctuation) of a short text such as a note.

    Layout and hyphenation are for whole pages; a note or caption is already one
    logical line, so only the word-level stages run, with the body as corpus. The
    returned document holds the repaired text and the edits that made it.
    """
    doc = Document(text)
    for stage in FRAGMENT_STAGES:
        if stage.STAGE not in ctx.config.disabled:
            stage.run(doc, ctx)
    return doc


def _clean_furniture_text(doc: Document, ctx: Context) -> None:
    """Notes and captions get the same word repairs as the body, each in its own
    :attr:`~pipeline.document.Furniture.fragment` (their printed text stays in the TEI)."""
    if not doc.notes and not doc.captions:
        return
    sub = Context(ctx.config, ctx.lexicon_for(doc), facts=ctx.facts, name_forms=ctx.name_forms)
    for item in [*doc.notes, *doc.captions]:
        item.fragment = clean_fragment(item.printed, sub)


def clean_text(text: str, config: Config | None = None) -> Document:
    """Convenience for callers that already hold text (tests, eval, other tools)."""
    return clean_bytes(text.encode("utf-8"), "-", config)


def read_input(path: Path) -> bytes:
    """The bytes of an input file, or :class:`~pipeline.errors.InputError` saying plainly why not."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file (use `ocrclean run` for folders)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def clean_file(path: Path, config: Config | None = None) -> Document:
    """Read and clean one file; raises :class:`~pipeline.errors.InputError` on bad input."""
    data = read_input(path)
    try:
        return clean_bytes(data, path.name, config)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
