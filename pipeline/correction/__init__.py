"""Learned word correction: a channel model of OCR errors, a candidate index and a word model.

``channel.py`` learns P(scanned | printed) from aligned pairs; ``index.py`` finds the
vocabulary words near a token; ``wordmodel.py`` gives unigram and bigram probabilities;
``corrector.py`` combines them into a posterior for each reading; ``pairs.py`` reads
training pairs; ``train.py`` fits and saves a model. The shipped default model
(``default_channel.json``) is trained by ``benchmarks/train_default.py`` from the
development pairs of the shared data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex

from pipeline.correction.channel import ChannelModel
from pipeline.correction.corrector import Corrector
from pipeline.correction.index import DeletionIndex
from pipeline.correction.wordmodel import WordModel
from pipeline.lexicon import Lexicon

DEFAULT_MODEL = Path(__file__).resolve().parent / "default_channel.json"
#: Broad-list words at least this frequent (zipf) are candidates besides the curated dictionary.
VOCABULARY_ZIPF = 3.0
_VOCAB_WORD = regex.compile(r"\p{Ll}+(?:'\p{Ll}+)?")

__all__ = ["ChannelModel", "Corrector", "DeletionIndex", "WordModel", "load_channel", "vocabulary_index",
           "corrector_for"]


@lru_cache(maxsize=8)
def load_channel(path: str = "") -> ChannelModel:
    """The channel model at ``path`` (default: the shipped one), loaded once per process."""
    return ChannelModel.load(path or DEFAULT_MODEL)


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
    """The deletion index of :func:`vocabulary`, built once per static lexicon (about 2 s)."""
    key = id(lexicon._freqs)
    if key not in _INDEXES:
        _INDEXES[key] = DeletionIndex(sorted(vocabulary(lexicon)))
    return _INDEXES[key]


def corrector_for(lexicon: Lexicon, model: str = "") -> Corrector:
    """A corrector over ``lexicon`` (with its corpus counts): the shared vocabulary index plus an
    index of the corpus's own intact words, the channel model at ``model`` (default: shipped)."""
    shared = vocabulary_index(lexicon)
    local = DeletionIndex(w for w, n in lexicon.corpus.items()
                          if n >= 2 and w not in shared.words and _VOCAB_WORD.fullmatch(w))
    channel = load_channel(model)
    cache = _READINGS.setdefault((id(lexicon._freqs), model), {})
    return Corrector(channel, WordModel(lexicon), shared, local, cache)


#: Document-independent readings of tokens, per vocabulary and channel model (grows with the tokens seen).
_READINGS: dict[tuple[int, str], dict] = {}
