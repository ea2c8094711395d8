"""Punctuation kinds: each rule on fresh text of its kind, and ordinary prose it must leave alone.

The golden cases are (input, expected) pairs through the whole pipeline; the negative cases are
modern English that the punctuation stage must return byte for byte (numbers, times, scores,
compounds, the pronoun ``I`` in quotations, stranded prepositions, letter labels).
"""

from __future__ import annotations

import pytest
from conftest import clean

from pipeline.api import clean_text
from pipeline.lexicon import get_lexicon
from pipeline.stages import punctuation


@pytest.mark.parametrize("raw,expected", [
    # full stop after a word that never ends a sentence
    ("We walked to the. Harbour at dawn.", "We walked to the Harbour at dawn."),
    ("She bought bread and. Cheese for the trip.", "She bought bread and Cheese for the trip."),
    ("He spoke of. little else all evening.", "He spoke of little else all evening."),
    # comma after an article
    ("We climbed the, steep hill behind the farm.", "We climbed the steep hill behind the farm."),
    # a hyphen between words that no compound joins is an em dash
    ("We searched the old barn-they had gone.", "We searched the old barn\u2014they had gone."),
    # an exclamation mark read as I
    ('"Stop the thief I" shouted the grocer.', '"Stop the thief!" shouted the grocer.'),
    # an apostrophe speck inside a number that no feet-inch or minute-second reading allows
    ("The road climbs 4'80 metres in a mile.", "The road climbs 480 metres in a mile."),
    # a lone zero split from a count
    ("They planted 45 0 trees along the river.", "They planted 450 trees along the river."),
    # a real closing single quote set off by a space
    ("The sign said 'Keep out ' and we turned back.", "The sign said 'Keep out' and we turned back."),
    # a quotation continued into a new paragraph opens it with a quote
    ('"We met the pilot at the quay and he told us the tide was wrong.\n\n'
     '" Then we went home for supper.', '"We met the pilot at the quay and he told us the tide was wrong.\n\n'
                                        '"Then we went home for supper.'),
    # an unevenly spaced ellipsis takes the document's form
    ("The lamp flickered. .. . Then it went out.", "The lamp flickered. . . . Then it went out."),
    ("He paused... then spoke.. . and stopped.", "He paused... then spoke... and stopped."),
    # a space inside one side of a parenthesis
    ("The old mill ( built in 1820) stood by the weir.", "The old mill (built in 1820) stood by the weir."),
    # full stops of an initialism
    ("He served in the R.A .F. and wrote for the BB.C. later.", "He served in the R.A.F. and wrote for the "
                                                              "B.B.C. later."),
    # a comma read for the full stop before a new sentence
    ("We reached the farm at dusk, The dogs barked at us.", "We reached the farm at dusk. The dogs barked at us."),
    # a hyphen lost after a prefix English always hyphenates
    ("She was a selftaught painter.", "She was a self-taught painter."),
    # a speck read as a full stop or comma inside a word
    ("She whis.pered to him after lunch.", "She whispered to him after lunch."),
    # a comma set before the space instead of after the word, before a word that opens a clause
    ("The road was repaired by the farmers ,and the bridge was painted.",
     "The road was repaired by the farmers, and the bridge was painted."),
    # the space after a stop lost before the next sentence
    ("The vote was taken at noon.Afterwards the members dined together.",
     "The vote was taken at noon. Afterwards the members dined together."),
])
def test_punctuation_kind_repaired(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("text", [
    # abbreviations and initialisms glued to a capital are what they are
    "See e.g.The Times and the U.S.Army report, and his Ph.D thesis.",
    # stranded prepositions end sentences
    "The parcel was finally sent to. Nobody had asked what it was for. Everyone went along with. It was late.",
    "This is the house the letters came from. Grace never wrote back.",
    # letters as labels
    "See Plan A, and then Plan B, in the annex.",
    "Fig. 2. a. Front view; b. side view.",
    "Measure side a, then side b, with the ruler.",
    # abbreviations before a small letter
    "The fare was ten dols. for the trip and three more for the trunk.",
    "It rose by five per cent. over the year.",
    # compounds keep their hyphen
    "Every passer-by stopped to look, and the runners-up were cheered.",
    "The stand-by crew had a built-in stove and a passerby waved.",
    "A quasi-Marxist pamphlet, a pseudo-Gothic chapel and an all-American team.",
    "His so-so answer came from a would-be expert and a hanger-on.",
    # the pronoun I ending a quotation
    '"So am I" she said, and he answered "Not I" at once.',
    '"Who, I?" he asked. "Yes, you and I" she replied.',
    # numbers, times, heights, coordinates and scores
    "He is 5'10 and weighs 170 pounds.",
    "The fort lies at 51\u00b030'26\" north.",
    "The score was 3 0 at half time and 2-1 at the end.",
    "The train left at 10.30 and the boat at 12.15.",
    "They met at 5 o'clock in 1921.",
    # ellipses, parentheses and initialisms as printed
    "He waited . . . and then... nothing.",
    "The values ( a ) and ( b ) are set apart.",
    "NATO, the BBC and the U.S. ARMY met J. R. Smith of the U.S.A. in 1950.",
    # capitals after a comma that belong there
    "He read it in his paper, The Times, and in a letter, Dear Sir, she wrote.",
    "They sailed home, and I was glad.",
    # prefixes written solid, abbreviations with full stops
    "It was selfish, selfless and nonsense all at once.",
    "Bring tea, e.g. green, i.e. not black, at 5 a.m. tomorrow.",
])
def test_punctuation_leaves_prose_alone(text: str) -> None:
    assert punctuation_only(text) == text


def punctuation_only(text: str) -> str:
    """Text after the punctuation stage alone (the word stages have their own tests)."""
    doc = clean_text(text)
    assert not [e for e in doc.edits if e.stage == "punctuation" and e.applied], text
    return text


def test_every_punctuation_edit_is_restorable() -> None:
    raw = "They planted 45 0 trees-the. Orchard grew, and the sign said 'Keep out ' to all."
    doc = clean_text(raw)
    assert any(e.stage == "punctuation" and e.applied for e in doc.edits)
    doc.check()
    assert doc.original == raw


def test_comma_speck_inside_word() -> None:
    lex = get_lexicon()
    proposals = punctuation.stop_inside_word("the kitch,en door and the red,and", lex)
    assert [(p.start, p.end, p.replacement, p.rule) for p in proposals] == [(9, 10, "", "stop-inside-word")]


def test_rules_are_named_and_confident() -> None:
    proposals = punctuation.mark_after_article("We walked to the. Harbour and. Then of. then")
    assert {p.rule for p in proposals} == {"full-stop-after-function-word"}
    assert all(0 < p.confidence < 1 for p in proposals)
