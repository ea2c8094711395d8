"""The TEI P5 output and its reader, in one package so the scheme lives in one place.

* :mod:`pipeline.tei.scheme`: the markup (module docstring), namespaces, ids, scheme versions and the
  page-break rule shared with the JSONL record;
* :mod:`pipeline.tei.header`: the ``teiHeader`` (source facts, rules, reviewers);
* :mod:`pipeline.tei.writer`: :func:`to_tei`, the body, notes and the names' entity lists;
* :mod:`pipeline.tei.restore`: :func:`restore_bytes`, the original bytes back from the markup alone
  (:func:`restore_stream`: from a binary stream to a binary stream, in bounded memory).

Depends only on :mod:`pipeline.document` and :mod:`pipeline.errors`.
"""

from __future__ import annotations

from pipeline.tei.restore import original_text, restore_bytes, restore_stream
from pipeline.tei.scheme import SCHEME_VERSION, TEI_NS, is_page_break, page_breaks
from pipeline.tei.writer import to_tei

__all__ = ["SCHEME_VERSION", "TEI_NS", "is_page_break", "original_text", "page_breaks", "restore_bytes",
           "restore_stream", "to_tei"]
