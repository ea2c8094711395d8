"""Kinds of layout, line-joining and letter-form faults: each rule on fresh text of its own kind,
with ordinary modern prose that it must leave alone.

The texts here are written for these tests (not taken from any development document). Every
repair must be an edit: the original comes back byte for byte from the TEI.
"""

from __future__ import annotations

import hashlib

from conftest import clean

from pipeline.api import Config, clean_bytes
from pipeline.document import Document
from pipeline.tei import restore_bytes, to_tei

PROSE = ("The council met on Tuesday evening and agreed to repair the bridge before the spring floods.\n"
         "Most members thought the cost was reasonable, and the work will begin next month.\n")


def run(text: str) -> Document:
    """The whole pipeline on ``text``; checks the rope and the byte-exact restore from the TEI."""
    data = text.encode("utf-8")
    doc = clean_bytes(data, "sample.txt", Config(normalize=False))
    doc.check()
    tei = to_tei(doc, source_name="sample.txt", sha256=hashlib.sha256(data).hexdigest(), version="0")
    assert restore_bytes(tei) == data
    return doc


def rules(doc: Document, stage: str | None = None) -> list[str]:
    return [e.rule for e in doc.edits if e.applied and (stage is None or e.stage == stage)]


def body(doc: Document) -> str:
    return " ".join(doc.text.split())


def test_modern_prose_has_no_layout_or_letter_form_edits() -> None:
    doc = run(PROSE)
    assert body(doc) == " ".join(PROSE.split())
    assert set(rules(doc)) <= {"line-join", "short-line-ends-sentence", "trailing-space"}


# ---------------------------------------------------------------- decode: letter forms
def test_ligatures_expand_and_the_tei_keeps_them() -> None:
    doc = run("The ﬂeet left the ﬁshing harbour at ﬁve, and the oﬃcers of the staﬀ were baﬄed.\n")
    assert body(doc) == "The fleet left the fishing harbour at five, and the officers of the staff were baffled."
    edits = [e for e in doc.edits if e.rule == "ligature"]
    assert sorted(e.source for e in edits) == sorted("ﬂﬁﬁﬃﬀﬄ")
    assert all(e.stage == "decode" for e in edits)


def test_long_s_reads_as_s() -> None:
    doc = run("Thoſe who paſſed the houſe ſaw the firſt ſigns of the ſtorm.\n")
    assert body(doc) == "Those who passed the house saw the first signs of the storm."
    long_s = [e for e in doc.edits if e.rule == "long-s"]
    assert long_s and all((e.stage, e.source, e.after) == ("decode", "\u017f", "s") for e in long_s)
    assert "\u017f" not in doc.text


def test_soft_hyphen_inside_a_word_goes() -> None:
    doc = run("The re\u00adport of the com\u00admittee was read aloud.\n")
    assert body(doc) == "The report of the committee was read aloud."
    soft = [e for e in doc.edits if e.rule == "soft-hyphen-in-word"]
    assert sorted(e.start for e in soft) == [doc.original.index("re\u00ad") + 2, doc.original.index("com\u00ad") + 3]
    assert all((e.stage, e.source, e.after) == ("decode", "\u00ad", "") for e in soft)


# ---------------------------------------------------------------- hyphenation: engine markers
def test_soft_hyphen_at_line_end_joins_the_word() -> None:
    text = ("The garden was planted in the au\u00ad\ntumn, and the neighbours admired the straw\u00ad\n"
            "berries all through the following sum\u00ad\nmer.\n")
    doc = run(text)
    assert body(doc) == ("The garden was planted in the autumn, and the neighbours admired the strawberries "
                         "all through the following summer.")
    joined = [e for e in doc.edits if e.rule == "join-soft-hyphen"]
    assert all(e.stage == "hyphenation" and "\u00ad" in e.before and e.after == "" for e in joined)
    assert "\u00ad" not in doc.text


def test_abbyy_not_sign_at_line_end_joins_the_word() -> None:
    text = "The farmers brought their cat¬\ntle to the market, and the auc¬ tioneer sold them by noon.\n"
    doc = run(text)
    assert body(doc) == "The farmers brought their cattle to the market, and the auctioneer sold them by noon."


def test_compound_whose_parts_english_writes_as_a_pair_keeps_its_hyphen() -> None:
    text = ("The short-\nterm loan was repaid by a well-\nknown merchant, who had be-\ncome rich in the "
            "after-\nnoon trade.\n")
    out = " ".join(clean(text).split())
    assert "short-term" in out and "well-known" in out
    assert "become" in out and "afternoon" in out


def test_ordinary_hyphen_breaks_still_join() -> None:
    text = ("The committee will con-\nsider the request for a new li-\nbrary at its next meet-\ning in the "
            "town hall.\n")
    assert " ".join(clean(text).split()) == ("The committee will consider the request for a new library at its "
                                             "next meeting in the town hall.")


# ---------------------------------------------------------------- layout: running heads need evidence
def test_running_heads_with_folios_go_and_the_title_stays() -> None:
    page = ("The orchard behind the mill had been planted by the miller's grandfather, and every autumn the\n"
            "children of the parish came to gather the apples that fell into the long grass beside the\n")
    text = ("A HISTORY OF THE MILL.\n\nThe orchard was old.\n\n" + page
            + "\n\n12 A HISTORY OF THE MILL.\n\n" + page
            + "\n\nA HISTORY 0F THE MlLL. 13\n\n" + page
            + "\n\n14 A HISTORY OF THE MILL.\n\n" + page.rstrip() + " stream.\n")
    doc = run(text)
    heads = [e for e in doc.edits if e.rule == "running-head"]
    assert [e.data.get("n") for e in heads] == ["12", "13", "14"]
    assert body(doc).startswith("A HISTORY OF THE MILL. The orchard was old.")
    assert body(doc).count("HISTORY") == 1


def test_a_formula_repeated_inside_the_body_is_not_a_running_head() -> None:
    text = ("The minutes of the society record three resolutions.\n"
            "Resolved, that the society\n"
            "shall meet on the first Monday of every month in the reading room.\n"
            "Resolved, that the society\n"
            "shall keep a library for the use of its members and their families.\n"
            "Resolved, that the society\n"
            "shall print its transactions once a year at the expense of the members.\n")
    doc = run(text)
    assert "running-head" not in rules(doc)
    assert body(doc).count("Resolved, that the society") == 3


def test_numbers_that_do_not_count_up_are_not_folios() -> None:
    text = ("The harvest was weighed at the end of the season.\n"
            "Wheat from the upper field 40\nbrought the best price of the year.\n"
            "Wheat from the upper field 12\nwas sold to the miller in the town.\n")
    doc = run(text)
    assert "running-head" not in rules(doc)
    assert body(doc).count("Wheat from the upper field") == 2


# ---------------------------------------------------------------- layout: notes need evidence
def test_a_mark_before_a_line_that_goes_on_is_debris_not_a_note() -> None:
    text = ("The surveyors walked the boundary of the estate and found\n"
            "* the old stones still standing where the map showed them,\n"
            "except one that had fallen into the brook.\n")
    doc = run(text)
    assert body(doc) == ("The surveyors walked the boundary of the estate and found the old stones still standing "
                         "where the map showed them, except one that had fallen into the brook.")
    assert "stray-line-mark" in rules(doc) and not doc.notes


def test_stars_of_scanner_noise_anchor_no_note() -> None:
    # a newspaper column: a line of star specks (its first star dropped as a stray line mark), later a line whose
    # first character is a speck; the stars follow a mark, not a word, so they are no reference mark that would
    # make the line a footnote
    text = ("The notices of the week were read.\n* * * '),\nThe meeting closed at ten o'clock.\nFORTY years ago Mr.\n"
            "* J. B. Hale, of Goulburn, left for England by the\nmail steamer with his family.\n")
    doc = run(text)
    assert not doc.notes and "stray-line-mark" in rules(doc)
    assert "J. B. Hale, of Goulburn, left for England" in body(doc)
    # a mark after a word still anchors its note
    noted = run("The vicar preached on the duties of the rich,* and the congregation\nlistened until noon.\n\n"
                "* It was printed afterwards at the request of the squire.\n")
    assert [n.text for n in noted.notes] == ["It was printed afterwards at the request of the squire."]


def test_numbered_footnote_with_a_superscript_anchor_is_lifted_out() -> None:
    text = ("The canal was opened in the spring, and the first barges carried coal² to the city at\n"
            "half the old price, so that the carters of the district lost most of their trade within\n"
            "a year, and many of them went to work on the new railway instead of the roads\n"
            "\n41\n\n"
            "2 Mostly from the pits at the head of the valley; see the company's accounts,\n"
            "vol. 3, p. 17.\n")
    doc = run(text)
    assert body(doc).endswith("instead of the roads") and "²" not in doc.text
    assert [(n.n, n.text) for n in doc.notes] == [
        ("2", "Mostly from the pits at the head of the valley; see the company's accounts, vol. 3, p. 17.")]
    assert any(e.rule == "note-anchor" and e.source == "²" for e in doc.edits)


def test_a_line_that_starts_with_a_number_is_body_without_an_anchor() -> None:
    text = ("The regiment marched north through the valley in the rain.\n"
            "12 men fell ill on the road and were left at the inn with the surgeon.\n"
            "The rest reached the town by nightfall.\n")
    doc = run(text)
    assert not doc.notes and "12 men fell ill" in body(doc)


# ---------------------------------------------------------------- layout: captions, lone letters
def test_caption_without_a_full_stop_that_interrupts_a_sentence() -> None:
    text = ("The ferry crossed the estuary twice a day in summer, carrying carts and cattle and\n"
            "The old ferry at low water\n\n"
            "passengers between the two market towns on either shore of the wide river.\n")
    doc = run(text)
    assert body(doc) == ("The ferry crossed the estuary twice a day in summer, carrying carts and cattle and "
                         "passengers between the two market towns on either shore of the wide river.")
    assert [c.text for c in doc.captions] == ["The old ferry at low water"]


def test_a_full_line_before_a_page_break_is_not_a_caption() -> None:
    text = ("The ferry crossed the estuary twice a day in summer, carrying carts and cattle and\n"
            "Passengers who had paid their fares to the ferryman before the boat\n\n"
            "left the quay, between the two market towns on either shore of the river.\n")
    doc = run(text)
    assert not doc.captions and "Passengers who had paid" in body(doc)


def test_a_lone_letter_that_interrupts_a_sentence_is_noise() -> None:
    text = "The bells of the church rang out across\n\nJ\n\nthe fields when the war was over.\n"
    doc = run(text)
    assert body(doc) == "The bells of the church rang out across the fields when the war was over."
    assert "lone-letter" in rules(doc)


def test_a_letter_after_a_finished_sentence_is_left_alone() -> None:
    text = "The candidates were sorted into groups as follows.\n\nA\n\nThe first group met in the hall.\n"
    doc = run(text)
    assert "lone-letter" not in rules(doc)


# ---------------------------------------------------------------- layout: marks that wrapped
def test_a_closing_quote_alone_on_a_line_closes_the_line_before() -> None:
    text = ('The farmer looked at the sky and said: "We shall cut the hay tomorrow if the\n'
            "wind stays in the west.\n"
            '"\n'
            "Nobody in the kitchen believed him.\n")
    doc = run(text)
    assert doc.paragraphs() == ['The farmer looked at the sky and said: "We shall cut the hay tomorrow if the wind '
                                'stays in the west."', "Nobody in the kitchen believed him."]


def test_a_closing_parenthesis_alone_on_a_line_closes_the_line_before() -> None:
    text = ("The parish (which then included the two hamlets on the hill\n"
            ")\n"
            "kept its own school until the new board was formed.\n")
    doc = run(text)
    assert body(doc) == ("The parish (which then included the two hamlets on the hill) kept its own school until "
                         "the new board was formed.")


def test_a_quote_line_with_no_open_quotation_is_not_joined() -> None:
    text = 'He said "no" and left the room.\n"\nThe door closed behind him.\n'
    doc = run(text)
    assert "line-join-closing-mark" not in rules(doc)


def test_marks_after_a_line_end_hyphen_are_debris() -> None:
    text = "The whole parish turned out to wel- ,\ncome the new vicar and his family.\n"
    doc = run(text)
    assert body(doc) == "The whole parish turned out to welcome the new vicar and his family."
    assert "noise-after-line-end-hyphen" in rules(doc)


def test_marks_after_a_hyphen_before_a_new_sentence_stay() -> None:
    text = "The score at the interval was level- .\nThe second half began in the rain.\n"
    doc = run(text)
    assert "noise-after-line-end-hyphen" not in rules(doc)


def test_a_closing_single_quote_with_its_stop_alone_on_a_line() -> None:
    text = ("The keeper of the lock called out, 'Mind the gate, it sticks in wet weather\n"
            "'.\n"
            "Nobody on the barge answered him.\n")
    doc = run(text)
    assert body(doc).startswith("The keeper of the lock called out, 'Mind the gate, it sticks in wet weather'.")
    assert "line-join-closing-mark" in rules(doc)


def test_a_lone_letter_beside_a_page_number_is_noise() -> None:
    text = "The new school was built on the land\n88\nt\nthat the squire had left to the parish.\n"
    doc = run(text)
    assert body(doc) == "The new school was built on the land that the squire had left to the parish."


def test_one_running_head_with_its_folio_that_repeats_the_title() -> None:
    text = ("THE RIVER TRADE.\n\nThe river carried timber and grain down to the port, and the boatmen of the upper\n"
            "reaches were paid by the load, so that a quick passage\n\n\n\n"
            "52 THE RIVER TRADE.\n\n"
            "was worth more to them than a safe one.\n")
    doc = run(text)
    assert [e.data.get("n") for e in doc.edits if e.rule == "running-head"] == ["52"]
    assert body(doc).startswith("THE RIVER TRADE. The river")
    assert "a quick passage was worth more" in body(doc)


def test_a_marked_line_with_a_capital_between_body_lines_and_no_anchor_stays() -> None:
    text = ("The trustees decided, after hearing the treasurer's report, that\n"
            "* The new wing would be built as soon as the subscriptions came in,\n"
            "and that the architect should be asked for plans.\n")
    doc = run(text)
    assert not doc.notes and "The new wing would be built" in body(doc)


def test_marks_glued_to_a_line_end_hyphen_are_debris() -> None:
    text = "The carters complained of the state of the turn-.\npike road all through the winter.\n"
    doc = run(text)
    assert "turnpike road" in body(doc)


def test_marked_line_under_a_heading_that_runs_on_is_body_text() -> None:
    """A speck before the first line of a column (``• The annual meeting of the Agricul-``) is no
    footnote: the line follows a heading and its broken word runs on into the next line."""
    from tests.conftest import clean

    text = ("HARBOUR NEWS.\n• The monthly meeting of the Harbour Com-\nmissioners was held on Friday in the Custom\n"
            "House, when the accounts were passed.\n")
    out = clean(text)
    assert out.startswith("HARBOUR NEWS.\n\nThe monthly meeting of the Harbour Commissioners was held")


def test_headings_salutations_and_lists_set_apart_by_blank_lines_stay_apart() -> None:
    """A short line before a blank line and a capital is a heading, a salutation or the last item
    of a list (a typescript, a letter, a modern report): it ends its block."""
    text = ("Chapter 3\n\nIn 1998 the company moved its offices to a larger building near the river.\n\n"
            "Dear Sir or Madam,\n\nThank you for your letter of the 4th.\n\nThe report lists three risks:\n\n"
            "- currency fluctuations\n- rising interest rates\n\nThe board accepted the report.\n")
    assert clean(text).split("\n\n") == [
        "Chapter 3", "In 1998 the company moved its offices to a larger building near the river.",
        "Dear Sir or Madam,", "Thank you for your letter of the 4th.", "The report lists three risks:",
        "- currency fluctuations", "- rising interest rates", "The board accepted the report."]


def test_a_blank_line_inside_a_sentence_of_a_scan_is_still_joined() -> None:
    """The negative: in a scan a blank line falls mid-sentence (a column gap); the next line goes
    on in lower case, or the line before is a full line, so the sentence is read on."""
    text = ("The committee met on Tuesday to consider the report of the harbour\n\n"
            "master, and resolved that the new wharf should be built at once by the\n\n"
            "Government of the colony, whose engineers had already drawn the plans.\n")
    assert clean(text) == ("The committee met on Tuesday to consider the report of the harbour master, and "
                           "resolved that the new wharf should be built at once by the Government of the "
                           "colony, whose engineers had already drawn the plans.")


def _page(first: int, lines: int) -> list[str]:
    words = "the keepers of the old light walked along the shore every evening to see the".split()
    return [" ".join(words[(first + k) % 5:][:9]) for k in range(lines)]


def test_folios_counting_pages_without_blank_lines_are_page_numbers() -> None:
    """A number alone on a line, with no blank line beside it, is a folio when other lone numbers
    count the pages with it (one page per 15 lines at the most)."""
    lines = [*_page(0, 20), "17", *_page(1, 20), "18", *_page(2, 5)]
    doc = run("\n".join(lines) + "\n")
    assert [e.source for e in doc.edits if e.rule == "page-number" and e.applied] == ["17", "18"]


def test_a_number_alone_on_a_line_inside_a_sentence_stays() -> None:
    """The negative: a lone number with text on both sides and no other folio is part of the text."""
    text = "After the storm the keepers counted\n42\ngulls on the rocks below the old light.\n"
    doc = run(text)
    assert body(doc) == " ".join(text.split())
    assert "page-number" not in rules(doc)


def test_numbers_in_the_text_that_do_not_count_pages_are_no_evidence() -> None:
    """Two lone numbers close together (a list of figures) do not count pages for each other."""
    text = "The keepers counted\n42\ngulls and then\n40\nterns on the rocks below the old light.\n"
    assert "page-number" not in rules(run(text))


def test_a_blank_line_without_sentence_evidence_stays_a_paragraph_break() -> None:
    """A stanza break, a title over a recipe, an e-text paragraph without a stop: the blank line
    is kept; a join across one needs a line that plainly goes on, and says so by its confidence."""
    poem = "The snow lay deep on every road,\nAnd silent was the town;\n\nThe children left their home\n"
    assert clean(poem).split("\n\n") == ["The snow lay deep on every road, And silent was the town;",
                                         "The children left their home"]
    doc = run("The ferry left the quay, and the passengers on the\n\nupper deck watched the gulls.\n")
    joins = [e for e in doc.edits if e.rule == "line-join-across-blank-line"]
    assert body(doc) == "The ferry left the quay, and the passengers on the upper deck watched the gulls."
    assert len(joins) == 1 and 0.5 <= joins[0].confidence < 1.0
