"""Spellings of a name in the common romanization systems, generated from its original script.

Why generate instead of listing: a Russian surname has half a dozen standard
Latin spellings (Library of Congress with and without diacritics, BGN/PCGN, the
"popular" Wikipedia system, ISO 9 / scientific, ICAO passports) and a Chinese
place name at least two (pinyin, Wade-Giles); an authority file that had to list
them all by hand would be long, inconsistent and never complete. The entry
gives the original script (``Волочаевка``, ``大連``) and this module produces
``Volochaevka``, ``Volochayevka``, ``Voločaevka`` ... and ``Dalian``, ``Ta-lien``.

Cyrillic goes through ``iuliia`` (one schema per system); Chinese through
``pypinyin`` and a rule-based pinyin -> Wade-Giles syllable conversion (a
general table, not a list of names). Japanese kana/kanji are not romanized
here (the authority lists Hepburn forms); :func:`hepburn_variants` spells out
the long-vowel conventions (``Ōi`` -> ``Oi``, ``Ooi``, ``Ohi``, ``Oui``).

Generated spellings are kept in a small cache file (``$OCRCLEAN_CACHE`` or
``$XDG_CACHE_HOME/ocrclean``, else ``~/.cache/ocrclean``), keyed by this
module's code and the two libraries' versions: importing pypinyin's
dictionaries costs a quarter of a second, more than normalizing a whole
book, and the spellings of an unchanged authority never change. The spellings
of the shipped authority come ready-made in ``shipped_forms.json`` beside this
module (same key; ``python -m pipeline.names.regenerate`` rewrites it, and a test
fails when it is stale), so even a first run on a fresh machine imports neither
library.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import regex

#: Target systems a user can choose (besides ``canonical``), with what each does per language.
SCHEMES: dict[str, str] = {
    "lc": "Library of Congress (ALA-LC) without diacritics; pinyin for Chinese",
    "lc-diacritics": "ALA-LC with its diacritics (Semënov, Bli͡ukher); pinyin for Chinese",
    "bgn": "BGN/PCGN (Semënov, Volochayevka); pinyin for Chinese",
    "popular": "the Wikipedia / popular English system (Semyonov, Volochayevka); pinyin for Chinese",
    "iso": "ISO 9:1968 (Semënov, Voločaevka); pinyin for Chinese",
    "scientific": "scientific transliteration (Semënov, Voločaevka, Xabarovsk); pinyin for Chinese",
    "gost": "GOST 7.79 / ISO 9:1995 (Voločaevka, Blûher); pinyin for Chinese",
    "icao": "ICAO Doc 9303 passport style (Semenov, Primore); pinyin for Chinese",
    "pinyin": "Hanyu pinyin for Chinese (Dalian, Changchun); Russian in the popular system",
    "wade-giles": "Wade-Giles for Chinese (Ta-lien, Ch'ang-ch'un); Russian in the popular system",
}

#: iuliia schema per Russian system.
_RU_SCHEMA = {
    "lc": "ALA_LC_ALT",
    "lc-diacritics": "ALA_LC",
    "bgn": "BGN_PCGN_ALT",
    "popular": "WIKIPEDIA",
    "iso": "ISO_9_1968",
    "scientific": "SCIENTIFIC",
    "gost": "GOST_779",
    "icao": "ICAO_DOC_9303",
    "pinyin": "WIKIPEDIA",
    "wade-giles": "WIKIPEDIA",
}
#: Chinese system per scheme (LC and BGN have used pinyin for Chinese since 2000 and 1979).
_ZH_SCHEME = {name: ("wade-giles" if name == "wade-giles" else "pinyin") for name in SCHEMES}

_CYRILLIC = regex.compile(r"\p{Script=Cyrillic}")
_HAN = regex.compile(r"\p{Script=Han}")
_KANA = regex.compile(r"[\p{Script=Hiragana}\p{Script=Katakana}]")
_VOWEL_BEFORE = regex.compile(r"(?:^|(?<=[aeiouyAEIOUY’'ʹʺ”\s-]))([ёЁ])")


def script_language(text: str) -> str:
    """The language a script suggests: ``ru`` for Cyrillic, ``ja`` for kana, ``zh`` for Han, else ``""``."""
    if _CYRILLIC.search(text):
        return "ru"
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh"
    return ""


# ---------------------------------------------------------------------- Russian
@lru_cache(maxsize=4096)
def romanize_russian(text: str, scheme: str) -> str:
    """``text`` in one Russian system (see :data:`SCHEMES`).

    iuliia leaves ``ё`` untouched in several schemas (LC, BGN, ISO, GOST); their
    own tables write ``ë`` (BGN/PCGN ``yë`` at the start of a word or after a
    vowel), which is what this returns.

    >>> romanize_russian("Семёнов", "popular"), romanize_russian("Семёнов", "lc")
    ('Semyonov', 'Semenov')
    >>> romanize_russian("Семёнов", "bgn"), romanize_russian("Волочаевка", "iso")
    ('Semënov', 'Voločaevka')
    """
    import iuliia

    try:
        schema = getattr(iuliia, _RU_SCHEMA[scheme])
    except KeyError:
        raise ValueError(f"unknown romanization scheme {scheme!r} (known: {', '.join(SCHEMES)})") from None
    out = schema.translate(text)
    if "ё" in out or "Ё" in out:
        if scheme == "bgn":
            out = out.replace("Yё", "Yë").replace("yё", "yë")
            out = _VOWEL_BEFORE.sub(lambda m: "yë" if m.group(1) == "ё" else "Yë", out)
        if scheme in ("lc", "icao"):
            out = out.replace("ё", "e").replace("Ё", "E")
        out = out.replace("ё", "ë").replace("Ё", "Ë")
    # BGN/PCGN marks some digraph boundaries with a middle dot (Kamchat·skiy); prose never prints it
    return unicodedata.normalize("NFC", out.replace("·", ""))


def russian_variants(text: str) -> dict[str, str]:
    """Every system's spelling of ``text``, keyed by system name."""
    return {scheme: romanize_russian(text, scheme) for scheme in _RU_SCHEMA if scheme not in ("pinyin", "wade-giles")}


#: Systems of the generated spellings that are not a standard a user can choose as a target:
#: German- and French-style transcriptions and the common simplifications of English ones
#: (:func:`russian_style_variants`), and a Chinese person's surname alone.
NONSTANDARD_PREFIXES = ("german", "french", "simplified", "surname")

# German (Duden) and French traditional transcriptions of Russian, as newspapers, atlases and
# diplomatic papers of the period print names: Semjonow / Semenoff, Tschita / Tchita,
# Blagoweschtschensk / Blagovechtchensk. Letter tables (Duden, "Transkription aus dem
# Russischen"; the French usage of the Quai d'Orsay and the BnF before ISO 9), not lists of names.
_STYLE_TABLES: dict[str, dict[str, str]] = {
    "german": {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s",
               "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
               "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
               "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"},
    "french": {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "io", "ж": "j", "з": "z",
               "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
               "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch",
               "щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": "ia"},
}
#: е (and ё) at the start of a word or after a vowel or a sign: je / ie (Jekaterinburg, Iekaterinbourg).
_IOTATED = {"german": ("je", "jo"), "french": ("ie", "io")}
_RU_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯьъЬЪ")
_RU_HUSHERS = set("жчшщЖЧШЩ")
#: Word endings each style writes its own way (-ский -> -ski, -ий -> -i, -ый -> -y).
_STYLE_ENDINGS = (("ский", "ski"), ("цкий", "zki"), ("ий", "i"), ("ый", "y"), ("ой", "oi"))


def _style_word(word: str, style: str) -> str:
    table = _STYLE_TABLES[style]
    lower = word.lower()
    tail = ""
    for ending, written in _STYLE_ENDINGS:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            tail = ("tzki" if style == "german" else "tski") if ending == "цкий" else written
            lower = lower[: -len(ending)]
            break
    out: list[str] = []
    for i, ch in enumerate(lower):
        prev = lower[i - 1] if i else ""
        if ch in "её" and (not prev or prev in _RU_VOWELS):
            out.append(_IOTATED[style][0 if ch == "е" else 1])
        elif ch == "ё" and prev in _RU_HUSHERS:
            out.append("o")
        elif ch == "с" and prev in _RU_VOWELS and i + 1 < len(lower) and lower[i + 1] in _RU_VOWELS:
            out.append("ss")
        elif style == "french" and ch == "г" and i + 1 < len(lower) and lower[i + 1] in "еиэы":
            out.append("gu")
        else:
            out.append(table.get(ch, ch))
    text = "".join(out) + tail
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def russian_style(text: str, style: str) -> str:
    """``text`` (Cyrillic) in the German (Duden) or French traditional transcription.

    >>> russian_style("Семёнов", "german"), russian_style("Чита", "french")
    ('Semjonow', 'Tchita')
    >>> russian_style("Благовещенск", "german"), russian_style("Дзержинский", "french")
    ('Blagoweschtschensk', 'Dzerjinski')
    """
    parts = regex.split(r"([\s\-]+)", text)
    out = "".join(p if regex.fullmatch(r"[\s\-]*", p) else _style_word(p, style) for p in parts)
    if style == "german":  # Duden writes -ow/-ew for -ов/-ев
        out = regex.sub(r"(?<=[oe])v\b", "w", out)
    return out


#: Simplifications of the English-language systems seen in print, each a pattern and the spellings
#: it may take instead (all occurrences in a spelling change together).
_SIMPLIFICATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"shch", ("sch",)),                         # Blagoveschensk
    (r"(?<=[^\W\d_])ya|(?<=\b)Ya", ("ia", "ja")),  # Volochaievka, Volochajevka
    (r"(?<=[^\W\d_])yu", ("iu", "ju")),
    (r"(?<=[^\W\d_])yo", ("io", "jo", "e")),      # Semionov, Semjonov, Semenov
    (r"(?<=[aeiou])ye", ("ie", "je", "e")),        # Volochaievka, Volochajevka, Volochaevka
    (r"kh|Kh", ("ch", "h")),                      # Chabarovsk, Habarovsk
    (r"(?<=[oe])v\b", ("ff", "w")),               # Semenoff, Semjonow
    (r"(?:sky|skiy|skii|skij)\b", ("ski", "sky", "skii")),
    (r"(?<=[^\W\d_])iy\b|(?<=[^\W\d_])yy\b", ("i", "y")),
)
#: Most spellings one original yields through the simplifications (a bound on the index size).
MAX_VARIANTS = 48
#: Cyrillic letters English and French print of the period often wrote as a plainer neighbour before the
#: systems' own letter: ы as и, written ``i`` (Kalmikoff, Krilenko, Rikov, Kolima); the romanizations of
#: the respelled original join the simplified spellings (and take their simplifications in turn).
_PLAIN_LETTERS = (("ы", "и"), ("Ы", "И"))


def _alternatives(form: str, pattern: str, choices: tuple[str, ...]) -> list[str]:
    out = []
    for choice in choices:
        def sub(m: regex.Match[str], choice: str = choice) -> str:
            got = m.group()
            return choice.capitalize() if got[:1].isupper() else choice
        changed = regex.sub(pattern, sub, form)
        if changed != form:
            out.append(changed)
    return out


def _plain_letter_forms(text: str) -> list[str]:
    """The popular and LC spellings of ``text`` with :data:`_PLAIN_LETTERS` respelled (none when it has
    none of them).

    >>> _plain_letter_forms("Калмыков"), _plain_letter_forms("Чита")
    (['Kalmikov'], [])
    """
    plain = text
    for letter, written in _PLAIN_LETTERS:
        plain = plain.replace(letter, written)
    if plain == text:
        return []
    return sorted({romanize_russian(plain, scheme) for scheme in ("popular", "lc")})


def russian_style_variants(text: str, standard: dict[str, str]) -> dict[str, str]:
    """Non-standard spellings of a Russian name: German and French transcriptions and the
    simplifications of the English systems (``shch`` -> ``sch``, ``ya`` -> ``ia``/``ja``, ``kh`` ->
    ``ch``/``h``, ``-ov`` -> ``-off``/``-ow``, ``-sky``/``-ski``/``-skii``, ``y`` for ы -> ``i``; each
    combined with the others: ``Kalmikoff``), at most
    :data:`MAX_VARIANTS`, keyed ``german``, ``french``, ``simplified-N``.

    >>> v = russian_style_variants("Благовещенск", russian_variants("Благовещенск"))
    >>> "Blagoveschensk" in v.values() and "Blagovechtchensk" in v.values()
    True
    """
    out = {"german": russian_style(text, "german"), "french": russian_style(text, "french")}
    seen = {*standard.values(), *out.values()}
    german = out["german"]
    extra = [german.replace("schtsch", "stsch")] if "schtsch" in german else []
    frontier = sorted({standard[s] for s in ("popular", "lc", "bgn", "icao") if s in standard}
                      | {out["french"]} | set(_plain_letter_forms(text)))
    grown: list[str] = list(extra)
    for pattern, choices in _SIMPLIFICATIONS:
        new = [alt for form in frontier for alt in _alternatives(form, pattern, choices)]
        frontier = sorted(set(frontier) | set(new))
        if len(frontier) > MAX_VARIANTS:
            frontier = frontier[:MAX_VARIANTS]
            break
    grown.extend(frontier)
    n = 0
    for form in grown:
        form = unicodedata.normalize("NFC", form)
        if form not in seen:
            seen.add(form)
            n += 1
            out[f"simplified-{n}"] = form
    return out


# ---------------------------------------------------------------------- Chinese
_WG_INITIALS = [  # longest first
    ("zh", "ch"), ("ch", "ch'"), ("sh", "sh"),
    ("b", "p"), ("p", "p'"), ("m", "m"), ("f", "f"), ("d", "t"), ("t", "t'"), ("n", "n"), ("l", "l"),
    ("g", "k"), ("k", "k'"), ("h", "h"), ("j", "ch"), ("q", "ch'"), ("x", "hs"),
    ("r", "j"), ("z", "ts"), ("c", "ts'"), ("s", "s"), ("y", "y"), ("w", "w"),
]
#: Whole syllables whose Wade-Giles spelling no initial/final rule gives.
_WG_WHOLE = {
    "zi": "tzu", "ci": "tz'u", "si": "ssu", "zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih",
    "e": "o", "er": "erh", "ye": "yeh", "you": "yu", "yong": "yung", "yan": "yen", "yu": "yü",
    "yue": "yüeh", "yuan": "yüan", "yun": "yün", "ge": "ko", "ke": "k'o", "he": "ho",
    "duo": "to", "tuo": "t'o", "nuo": "no", "luo": "lo", "zuo": "tso", "cuo": "ts'o", "suo": "so",
    "zhuo": "cho", "chuo": "ch'o", "ruo": "jo", "gui": "kuei", "kui": "k'uei", "yi": "i",
}


@lru_cache(maxsize=2048)
def wade_giles_syllable(syllable: str) -> str:
    """One toneless pinyin syllable in Wade-Giles (rules of the standard conversion table).

    >>> [wade_giles_syllable(s) for s in ("da", "lian", "chang", "chun", "zi", "xu", "zheng", "jue")]
    ['ta', 'lien', "ch'ang", "ch'un", 'tzu', 'hsü', 'cheng', 'chüeh']
    """
    s = syllable.lower().replace("v", "ü")
    if s in _WG_WHOLE:
        return _WG_WHOLE[s]
    initial, wg_initial = "", ""
    for py, wg in _WG_INITIALS:
        if s.startswith(py) and len(s) > len(py):
            initial, wg_initial = py, wg
            break
    final = s[len(initial):]
    if initial in ("j", "q", "x"):  # u after j/q/x is ü
        final = "ü" + final[1:] if final.startswith("u") else final
    if final.startswith("ü") and final[1:] in ("e",):
        final = "üeh"
    elif final == "ie":
        final = "ieh"
    elif final in ("ian",):
        final = "ien"
    elif final == "iong":
        final = "iung"
    elif final == "ong":
        final = "ung"
    elif final == "ue":
        final = "üeh"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    return wg_initial + final


def _split_syllables(han: str, *, tones: bool) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(han, style=Style.TONE if tones else Style.NORMAL, v_to_u=True,
                                   errors="ignore") if s]


def _glue(syllables: list[str], sep: str) -> str:
    """Syllables joined; joined pinyin marks a syllable starting with a, e or o with ``'`` (Xi'an)."""
    if not sep:
        return "".join(s if i == 0 or s[:1] not in "aeoāáǎàēéěèōóǒò" else "'" + s
                       for i, s in enumerate(syllables))
    return sep.join(syllables)


def _join(syllables: list[str], person: bool, sep: str) -> str:
    """Syllables as a name: a person's surname apart, the given name joined (with ``sep``)."""
    if not syllables:
        return ""
    if person and len(syllables) > 1:
        return syllables[0].capitalize() + " " + _glue(syllables[1:], sep).capitalize()
    return _glue(syllables, sep).capitalize()


@lru_cache(maxsize=2048)
def chinese_variants(han: str, person: bool = False) -> dict[str, str]:
    """Pinyin and Wade-Giles spellings of a Chinese name (surname first for a person).

    >>> v = chinese_variants("大連")
    >>> v["pinyin"], v["pinyin-tones"], v["wade-giles"], v["wade-giles-joined"]
    ('Dalian', 'Dàlián', 'Ta-lien', 'Talien')
    >>> chinese_variants("楊杰", person=True)["wade-giles"]
    'Yang Chieh'
    """
    plain = _split_syllables(han, tones=False)
    if not plain:
        return {}
    toned = _split_syllables(han, tones=True)
    wg = [wade_giles_syllable(s) for s in plain]
    out = {
        "pinyin": _join(plain, person, ""),
        "pinyin-tones": _join(toned, person, ""),
        "wade-giles": _join(wg, person, "-"),
        "wade-giles-joined": _join(wg, person, "").replace("''", "'"),
    }
    if person:
        out["pinyin-given-hyphen"] = _join(plain, person, "-")
        if len(plain) > 1:  # the surname alone, as running text names a person (General Hsü)
            out["surname-pinyin"] = plain[0].capitalize()
            out["surname-wade-giles"] = wg[0].capitalize()
    return {k: unicodedata.normalize("NFC", v) for k, v in out.items()}


# ---------------------------------------------------------------------- Japanese
_LONG = {"ō": ("o", "oo", "ou", "oh"), "ū": ("u", "uu", "u", "u"), "Ō": ("O", "Oo", "Ou", "Oh"),
         "Ū": ("U", "Uu", "U", "U")}


def hepburn_variants(name: str) -> list[str]:
    """Spellings of a Hepburn name with long vowels (``Tōkyō``, ``Ōi``) in the usual plain conventions.

    >>> hepburn_variants("Ōi")
    ['Oi', 'Ooi', 'Oui', 'Ohi']
    """
    if not any(ch in _LONG for ch in name):
        return []
    out: list[str] = []
    for i in range(4):
        form = "".join(_LONG[ch][i] if ch in _LONG else ch for ch in name)
        if form not in out:
            out.append(form)
    return out


# ---------------------------------------------------------------------- per entry
def generated_forms(orig: str, lang: str, person: bool = False) -> dict[str, str]:
    """System name -> spelling, for one original-script form (empty when the language has no generator).

    Besides the standard systems, Russian gets German- and French-style and simplified spellings
    (:func:`russian_style_variants`), and a Chinese person's name its surname alone
    (``surname-pinyin``, ``surname-wade-giles``); see :func:`standard_system`."""
    if not orig:
        return {}
    lang = lang or script_language(orig)
    if lang == "ru":
        standard = russian_variants(orig)
        return {**standard, **russian_style_variants(orig, standard)}
    if lang == "zh":
        return chinese_variants(orig, person)
    return {}


def standard_system(system: str) -> bool:
    """Whether spellings of ``system`` are a standard romanization (a target a user may choose, or
    one of its forms), not a German/French/simplified variant or a surname alone."""
    return not system.startswith(NONSTANDARD_PREFIXES)


def target_form(orig: str, lang: str, scheme: str, person: bool = False) -> str | None:
    """The spelling ``scheme`` gives this original-script form, or None when it has none for the language."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown romanization scheme {scheme!r} (known: canonical, {', '.join(SCHEMES)})")
    lang = lang or script_language(orig)
    forms = cached_forms(orig, lang, person)
    if lang == "ru":
        return forms.get(scheme if scheme in forms else "popular")
    if lang == "zh":
        return forms.get("wade-giles" if _ZH_SCHEME[scheme] == "wade-giles" else "pinyin")
    return None


class _FormCache:
    """Generated spellings by (original, language, person), read from and saved to a cache file."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, str]] | None = None
        self.dirty = False

    @staticmethod
    def path() -> Path:
        base = os.environ.get("OCRCLEAN_CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ocrclean")
        return Path(base) / f"romanized-{_FormCache.stamp()}.json"

    @staticmethod
    def stamp(with_versions: bool = True) -> str:
        """What generated spellings depend on: this module's code and (for the user's cache) the
        two libraries' versions. The shipped file is stamped by the code alone; its test checks
        that the installed libraries still give exactly its spellings."""
        from importlib.metadata import PackageNotFoundError, version

        stamp = hashlib.sha256(Path(__file__).read_bytes())
        for package in ("iuliia", "pypinyin") if with_versions else ():
            try:
                stamp.update(version(package).encode())
            except PackageNotFoundError:
                stamp.update(b"-")
        return stamp.hexdigest()[:16]

    def get(self, orig: str, lang: str, person: bool) -> dict[str, str]:
        if self.data is None:
            self.data = dict(_read_forms(SHIPPED_FORMS, self.stamp(with_versions=False)))
            self.data.update(_read_forms(self.path(), None))
        slot = f"{lang}\t{int(person)}\t{orig}"
        forms = self.data.get(slot)
        if not isinstance(forms, dict):
            forms = generated_forms(orig, lang, person)
            self.data[slot] = forms
            self.dirty = True
        return forms

    def save(self) -> None:
        """Write new spellings back (best effort: an unwritable cache only costs time)."""
        if not self.dirty or self.data is None:
            return
        self.dirty = False
        try:
            path = self.path()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".romanized.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            pass


_CACHE = _FormCache()
#: Spellings of the shipped authority, generated ahead (see the module docstring).
SHIPPED_FORMS = Path(__file__).with_name("shipped_forms.json")


def _read_forms(path: Path, stamp: str | None) -> dict[str, dict[str, str]]:
    """Spellings from a JSON file; with ``stamp``, only if the file was made under that stamp."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    if stamp is not None:
        if loaded.get("stamp") != stamp or not isinstance(loaded.get("forms"), dict):
            return {}
        loaded = loaded["forms"]
    return {k: v for k, v in loaded.items() if isinstance(v, dict)}


def forms_payload(names: Iterable[tuple[str, str, bool]]) -> dict[str, object]:
    """The content of a ready-made spellings file (``shipped_forms.json``) for ``names``, each
    (original-script form, language or "" to guess it from the script, whether a person), generated now."""
    cache = _FormCache()
    cache.data = {}
    for orig, lang, person in names:
        cache.get(orig, lang or script_language(orig), person)
    return {"stamp": _FormCache.stamp(with_versions=False), "forms": cache.data}


def cached_forms(orig: str, lang: str, person: bool = False) -> dict[str, str]:
    """:func:`generated_forms`, through the cache file."""
    return _CACHE.get(orig, lang or script_language(orig), person)


def save_cache() -> None:
    _CACHE.save()
