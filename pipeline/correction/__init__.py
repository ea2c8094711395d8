"""Learned word correction: a channel model of OCR errors, a candidate index and a word model.

``channel.py`` learns P(scanned | printed) from aligned pairs; ``index.py`` finds the
vocabulary words near a token; ``wordmodel.py`` gives unigram and bigram probabilities;
``corrector.py`` combines them into a posterior for each reading; ``pairs.py`` reads
training pairs; ``train.py`` fits and saves a model. The shipped default model
(``default_channel.json``) is trained by ``benchmarks/train_default.py`` from the
development pairs of the shared data.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex

from pipeline.correction import channel as channel_module
from pipeline.correction import letters, search
from pipeline.correction.cache import BoundedCache
from pipeline.correction.channel import ChannelModel
from pipeline.correction.corrector import MAX_RANKED, MAX_SHARED, Corrector, Reading
from pipeline.correction.index import DeletionIndex, LayeredIndex
from pipeline.correction.letters import LetterModel
from pipeline.correction.mapped import cached_index
from pipeline.correction.search import ConfusionSearch
from pipeline.correction.wordmodel import WordModel
from pipeline.lexicon import Counts, Lexicon
from pipeline.store import cached_data, file_stamp, fitted_state, with_state

DEFAULT_MODEL = Path(__file__).resolve().parent / "default_channel.json"
#: Broad-list words at least this frequent (zipf) are candidates besides the curated dictionary.
VOCABULARY_ZIPF = 3.0
_VOCAB_WORD = regex.compile(r"\p{Ll}+(?:'\p{Ll}+)?")

__all__ = ["ChannelModel", "Corrector", "DeletionIndex", "WordModel", "load_channel", "vocabulary_index",
           "corrector_for", "retire"]


@lru_cache(maxsize=8)
def load_channel(path: str = "") -> ChannelModel:
    """The channel model at ``path`` (default: the shipped one), loaded once per process."""
    model = ChannelModel.load(path or DEFAULT_MODEL)
    if len(_LOADED) >= 8:
        _LOADED.clear()
    _LOADED[id(model)] = model
    return model


#: The channel models :func:`load_channel` returned, by id: they serve every document, so :func:`retire`
#: leaves their memo tables alone.
_LOADED: dict[int, ChannelModel] = {}


def retire(corrector: Corrector) -> None:
    """Empty the memo tables of a corrector's channel model once no corrector reads it any more: a
    document's (or a window's) adapted model, replaced by a newer adaptation or done with at the end
    of the document. The tables hold up to 20,000 and 100,000 entries (some 5 and 25 MB when full), and
    :func:`~pipeline.correction.corrector.likely_confusions` keeps the last eight models alive, so
    without this a long input or a batch worker held several full tables of models no longer used.
    The tables are pure memos, so results do not change; a model that is used again refills them.
    The models it was adapted from (which answer for it where the adaptation changed nothing) are emptied
    too; the loaded models (:func:`load_channel`) keep theirs: they serve every document."""
    channel: ChannelModel | None = corrector.channel
    while channel is not None and _LOADED.get(id(channel)) is not channel:
        for table in (getattr(channel, "_logp", None), getattr(channel, "_sub", None)):
            if table is not None and hasattr(table, "cache_clear"):
                table.cache_clear()
        # the model it was adapted from answers for it too (ChannelModel.adapted): done with as well unless loaded
        base = getattr(channel, "_base", None)
        channel = base[0] if base is not None else None


def vocabulary(lexicon: Lexicon) -> set[str]:
    """Lower-case words a token may be corrected to: the curated dictionary, the user's lists, and
    the broad list's words of zipf >= :data:`VOCABULARY_ZIPF`."""
    floor = 10 ** VOCABULARY_ZIPF / 1e9
    words = {w for w in lexicon.dictionary if _VOCAB_WORD.fullmatch(w)}
    words.update(w for w in lexicon.extra if _VOCAB_WORD.fullmatch(w))
    words.update(w for w, f in lexicon._freqs.items() if f >= floor and _VOCAB_WORD.fullmatch(w))
    return words


_INDEXES: dict[int, DeletionIndex] = {}


def vocabulary_index(lexicon: Lexicon) -> DeletionIndex:
    """The deletion index of :func:`vocabulary`, once per static lexicon: a
    :class:`~pipeline.correction.mapped.MappedIndex` opened from the per-user cache (a few
    milliseconds), built and cached on first use (about 3 s; see :mod:`pipeline.store`)."""
    key = id(lexicon._freqs)
    if key not in _INDEXES:
        _INDEXES[key] = cached_index(vocabulary(lexicon))
    return _INDEXES[key]


def corrector_for(lexicon: Lexicon, model: str = "") -> Corrector:
    """A corrector over ``lexicon`` (with its corpus counts): the shared vocabulary index plus an
    index of the corpus's own intact words, the channel model at ``model`` (default: shipped)."""
    shared = vocabulary_index(lexicon)
    local = corpus_index(lexicon.corpus, shared)
    channel = load_channel(model)
    key = (id(lexicon._freqs), model)
    cache = _READINGS.get(key)
    if cache is None:
        cache = _READINGS[key] = BoundedCache(MAX_SHARED)
    ranked = _RANKED.get(key[0])
    if ranked is None:
        ranked = _RANKED[key[0]] = BoundedCache(MAX_RANKED)
    return Corrector(channel, WordModel(lexicon), shared, local, cache, confusion_search(shared, channel),
                     letter_model(shared), ranked)


#: Far-candidate searches by (vocabulary index, channel model) ids: the last few only.
_SEARCHES: dict[tuple[int, int], tuple[DeletionIndex, ChannelModel, ConfusionSearch]] = {}


def confusion_search(index: DeletionIndex, channel: ChannelModel) -> ConfusionSearch:
    """The :class:`~pipeline.correction.search.ConfusionSearch` over an index's words and a channel
    model's confusions, built once per pair (about 0.3 s)."""
    key = (id(index), id(channel))
    hit = _SEARCHES.get(key)
    if hit is None or hit[0] is not index or hit[1] is not channel:
        if len(_SEARCHES) >= 4:
            _SEARCHES.clear()
        hit = _SEARCHES[key] = (index, channel, _fitted_search(index, channel))
    return hit[2]


def _fitted_search(index: DeletionIndex, channel: ChannelModel) -> ConfusionSearch:
    """``ConfusionSearch(index.words, channel)``; for a cached vocabulary index its tables come from the
    per-user cache (keyed by the index's key, the channel model's contents and the sources of
    :mod:`~pipeline.correction.search` and :mod:`~pipeline.correction.channel`)."""
    key = getattr(index, "key", "")
    if not key:
        return ConfusionSearch(index.words, channel)
    built: list[ConfusionSearch] = []

    def fit() -> dict[str, object]:
        built.append(ConfusionSearch(index.words, channel))
        return fitted_state(built[0])

    model = json.dumps(channel.to_json(), sort_keys=True)
    state = cached_data("confusion-search", [key, model, file_stamp(search.__file__, channel_module.__file__)], fit)
    found = built[0] if built else with_state(ConfusionSearch((), channel), state)
    if found._set == index.words:
        found._set = index.words  # the same words: one hash table of them, not two (4 MB)
    return found


_LETTERS: dict[int, tuple[DeletionIndex, LetterModel]] = {}


def letter_model(index: DeletionIndex) -> LetterModel:
    """The :class:`~pipeline.correction.letters.LetterModel` of an index's words, built once per index
    (about 0.2 s)."""
    hit = _LETTERS.get(id(index))
    if hit is None or hit[0] is not index:
        if len(_LETTERS) >= 4:
            _LETTERS.clear()
        hit = _LETTERS[id(index)] = (index, _fitted_letter_model(index))
    return hit[1]


def _fitted_letter_model(index: DeletionIndex) -> LetterModel:
    """``LetterModel(index.words)``; for a cached vocabulary index its fitted tables come from the per-user
    cache (keyed by the index's key and the source of :mod:`~pipeline.correction.letters`)."""
    key = getattr(index, "key", "")
    if not key:
        return LetterModel(index.words)
    built: list[LetterModel] = []

    def fit() -> dict[str, object]:
        built.append(LetterModel(index.words))
        return fitted_state(built[0])

    state = cached_data("letter-model", [key, file_stamp(letters.__file__)], fit)
    return built[0] if built else with_state(LetterModel(()), state)


def _local_word(word: str, n: int | None, shared: DeletionIndex) -> bool:
    """Whether a corpus word with count ``n`` belongs in the corpus index: seen intact twice, a word form,
    and not already in the shared vocabulary."""
    return (n or 0) >= 2 and word not in shared.words and bool(_VOCAB_WORD.fullmatch(word))


#: Indexes of collections' corpus words, by the id of their counts layer (the last few only).
_CORPUS_INDEXES: dict[tuple[int, int], tuple[object, DeletionIndex]] = {}
MAX_CORPUS_INDEXES = 4


def corpus_index(counts: Counter[str] | Counts, shared: DeletionIndex) -> DeletionIndex | LayeredIndex:
    """The deletion index of the corpus words the shared vocabulary lacks (:func:`_local_word`).

    For layered counts (a document's lexicon over its collection's, see :class:`~pipeline.lexicon.Counts`)
    the largest layer's words are indexed once and kept (the last :data:`MAX_CORPUS_INDEXES`), and only
    the words the layers above it change are looked at again: a document costs time in its own size,
    not its collection's."""
    if not isinstance(counts, Counts):
        return DeletionIndex(w for w, n in counts.items() if _local_word(w, n, shared))
    layers = counts.layers()
    root = max(layers, key=lambda layer: len(layer.delta))
    key = (id(root), id(shared))
    hit = _CORPUS_INDEXES.get(key)
    if hit is None or hit[0] is not root:
        if len(_CORPUS_INDEXES) >= MAX_CORPUS_INDEXES:
            _CORPUS_INDEXES.pop(next(iter(_CORPUS_INDEXES)))
        hit = _CORPUS_INDEXES[key] = (root, DeletionIndex(w for w, n in root.items() if _local_word(w, n, shared)))
    base = hit[1]
    changed: dict[str, None] = {}
    for layer in layers[:layers.index(root)]:
        changed.update(dict.fromkeys(layer.delta))
    extra: list[str] = []
    removed: set[str] = set()
    for word in changed:
        wanted, present = _local_word(word, counts.get(word), shared), word in base.words
        if wanted and not present:
            extra.append(word)
        elif present and not wanted:
            removed.add(word)
    return LayeredIndex(base, DeletionIndex(extra), removed)


#: Document-independent readings of tokens, per vocabulary and channel model (the last
#: :data:`~pipeline.correction.corrector.MAX_SHARED` tokens of each).
_READINGS: dict[tuple[int, str], BoundedCache[str, list[Reading]]] = {}
#: First rankings of tokens' neighbours (:meth:`~pipeline.correction.corrector.Corrector.ranked_near`), per
#: vocabulary, whatever the channel model.
_RANKED: dict[int, BoundedCache[str, list[str]]] = {}
