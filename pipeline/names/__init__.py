"""Name normalization: the authority file, spellings generated from original scripts, and matching.

``authority`` reads ``dictionaries/authority.tsv`` (and user files layered over
it); ``romanize`` generates the spellings of the common romanization systems;
``match`` finds and disambiguates occurrences in text; ``report`` is the corpus
report behind ``ocrclean names``. The stage that turns matches into edits is
:mod:`pipeline.stages.names`.
"""

from __future__ import annotations

from pipeline.names.authority import Authority, AuthorityError, Entry, load_authority
from pipeline.names.match import build_index, key, resolve

__all__ = ["Authority", "AuthorityError", "Entry", "build_index", "key", "load_authority", "resolve"]
