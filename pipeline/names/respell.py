"""What a name occurrence may be rewritten to: another spelling of the same name, and nothing else.

Why a check of its own: the authority knows that ``Ungern`` is Ungern-Sternberg,
``Yang`` (after a title) is Yang Jie, ``Britain`` is Great Britain and ``USSR`` the
Soviet Union, but writing the entity's full name there adds words the source did
not print; ``Maritime Region`` and ``Primorye``, ``Gulf of Tartary`` and ``Strait
of Tartary`` are different names, not spellings. A *respelling* changes only how
the transliterated parts of the name are written: ``Semenoff`` -> ``Semyonov``,
``Lake Hanka`` -> ``Lake Khanka``, ``Ta-lien`` -> ``Dalian``, ``Ulan Bator`` ->
``Ulaanbaatar``. So a target is accepted when

* it has no more parts than the printed form (a part is a word, or a run of
  initials such as ``U.S.S.R.``; a lower-case syllable after a hyphen belongs to
  the part before it: ``Ta-lien``, ``Yat-sen``, ``Nikolayevsk-on``), and fewer
  only when the letters barely differ (joined syllables: ``Ulan Bator``), never
  by dropping a lower-case particle (``von``);
* its generic words (``Lake``, ``Sea``, ``Range``, ``Republic``, ``Region`` ...)
  and joining particles (``on``, ``of``, ``na``, ``von``) are the printed form's,
  case aside.

A printed short form (fewer parts than the target: ``Stanovoi`` of ``Stanovoy
Range``, ``Hsü`` of ``Xu Shuzheng``) is respelled to the part of the target that
spells the same original-script form (``Stanovoy``, ``Xu``), or left as printed
when there is none (``Ungern``, ``Britain``, ``USSR``).
"""

from __future__ import annotations

from collections import Counter

import regex
from rapidfuzz.distance import Levenshtein

from pipeline.names.match import FormIndex, key

#: A part of a name: a run of initials (``U.S.S.R.``, ``U. S. A.``) or a word with any lower-case
#: hyphenated syllables after it (``Ta-lien``, ``Yat-sen``).
_PART = regex.compile(r"(?:\p{Lu}\.[ ]?){2,}|[\p{L}\p{M}'’ʹʼ`]+(?:[-‐‑](?=\p{Ll})[\p{L}\p{M}'’ʹʼ`]+)*")
#: Common nouns and adjectives of English place, body and organisation names: a respelling keeps them.
GENERIC = frozenset("""lake lakes river rivers sea seas ocean bay gulf strait straits sound cape mount mountain
mountains range ranges hills hill island islands isle peninsula plain valley desert wall region province
district oblast krai kray uyezd county territory republic union kingdom empire federation state states
commonwealth city town port harbour harbor fort station railway railroad line army party club clique
committee league government council company society bank university great little greater lesser outer
inner upper lower north northern south southern east eastern west western central far new old saint st
people people's peoples popular soviet socialist revolutionary democratic workers workers' peasants
peasants' red white""".split())
#: Small words joining the parts of a name: a respelling keeps them (``Petropavlovsk-on-Kamchatka`` is
#: not a spelling of ``Petropavlovsk-Kamchatsky``, nor ``Nikolaevsk-na-Amure`` of ``Nikolayevsk-on-Amur``).
PARTICLES = frozenset("on of the upon na v von van de du des la le am an der zu".split())
#: Fewer parts in a respelling only when the letters are this similar (normalized Levenshtein).
JOIN_SIMILARITY = 0.7


def parts(text: str) -> list[regex.Match[str]]:
    """The parts of a name (see the module docstring).

    >>> [m.group() for m in parts("Nikolayevsk-on-Amur")], len(parts("U. S. S. R.")), len(parts("Ta-lien"))
    (['Nikolayevsk-on', 'Amur'], 1, 1)
    """
    return list(_PART.finditer(text))


def _generic(text: str) -> Counter[str]:
    """The generic words and joining particles of a name, case aside."""
    out: Counter[str] = Counter()
    for m in parts(text):
        for i, w in enumerate(regex.split(r"[-‐‑]", m.group())):
            k = key(w).replace("’", "'")
            if k in GENERIC or (k in PARTICLES and (i > 0 or w.islower())):
                out[k] += 1
    return out


def is_respelling(printed: str, target: str) -> bool:
    """Whether ``target`` writes the same name as ``printed``, only spelled otherwise.

    >>> is_respelling("Semenoff", "Semyonov"), is_respelling("Ta-lien", "Dalian")
    (True, True)
    >>> is_respelling("Ungern", "Ungern-Sternberg"), is_respelling("Maritime Region", "Primorye")
    (False, False)
    >>> is_respelling("Ulan Bator", "Ulaanbaatar"), is_respelling("Ungern von Sternberg", "Ungern-Sternberg")
    (True, False)
    """
    if key(printed) == key(target):
        return True
    pp, pt = parts(printed), parts(target)
    if len(pt) > len(pp) or _generic(printed) != _generic(target):
        return False
    if len(pt) < len(pp):
        if any(m.group()[:1].islower() for m in pp):
            return False
        joined_p = "".join(key(m.group()) for m in pp)
        joined_t = "".join(key(m.group()) for m in pt)
        return Levenshtein.normalized_similarity(joined_p, joined_t) >= JOIN_SIMILARITY
    return True


def short_target(printed: str, target: str, entry_id: str, index: FormIndex) -> str | None:
    """For a printed form shorter than ``target``: the stretch of ``target`` that spells the same
    original-script form as ``printed`` (``Stanovoi`` in ``Stanovoy Range`` -> ``Stanovoy``), or None.

    The printed form must itself be a spelling generated from one of the entry's original forms
    (or key-equal to one), so a listed short form with no original (``Ungern``) stays as printed.
    """
    pk = key(printed)
    origins = [keys for keys in index.orig_keys.get(entry_id, {}).values() if pk in keys]
    if not origins:
        return None
    for pieces in (parts(target), list(regex.finditer(r"[^\s\-‐‑]+", target))):
        size = len(parts(printed))
        for i in range(len(pieces) - size + 1):
            window = target[pieces[i].start():pieces[i + size - 1].end()]
            if any(key(window) in keys for keys in origins):
                return window
    return None
