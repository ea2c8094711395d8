"""English word lists: the closed classes and combining elements the rules of several stages read.

Why one module: a list of function words or prefixes is a fact about English, not about a stage;
kept beside each rule, copies drift apart. Each list here is named for what it holds; a stage that
needs a narrower or wider set composes it from these (``COMMON_FUNCTION_WORDS | {...}``). All
entries are lower case. The lists are drawn from the closed classes of English grammar (articles,
pronouns, prepositions, conjunctions, auxiliaries) and its combining prefixes; each is as wide as the
rules reading it need, not exhaustive.
"""

from __future__ import annotations

#: The commonest function words: articles, personal and demonstrative pronouns, the commonest
#: prepositions and conjunctions, a few auxiliaries. A word after a stray comma or before an em
#: dash from this list is running text, never the first part of a compound.
COMMON_FUNCTION_WORDS = frozenset("""a all an and as at but by for from he her him his i in it its me my
nor not of on or our she so that the their them then there these they this those to us was we
were what when which who will with you your""".split())

#: The genuine one- and two-letter words of English; any other short token is a fragment.
SHORT_WORDS = frozenset("""a i o am an as at be by do go he if in is it me my no of oh on or ox so to up us
we ye lo ah""".split())

#: Prefixes that form hyphenated compounds before capitals (``anti-Soviet``, ``pro-Japanese``,
#: ``quasi-Marxist``, ``all-American``): English's closed class of combining prefixes.
COMBINING_PREFIXES = frozenset("""anti pro non pre post ex semi pan neo un counter trans sub super inter intra mid quasi
pseudo proto ultra extra crypto para ante hyper hypo infra macro micro mini multi poly mono arch half all
over under de re cis circum supra demi vice self""".split())

#: Prefixes English always joins to a word with a hyphen (``self-styled``, ``quasi-official``,
#: ``pseudo-science``); words written solid with them (``selfish``) are in the lexicon.
HYPHENATED_PREFIXES = ("self", "quasi", "pseudo")

#: Adverb particles that close phrasal compounds (``passer-by``, ``hanger-on``, ``lean-to``, ``so-so``).
ADVERB_PARTICLES = frozenset("by in on to up off out so all".split())

#: Words that never end an English sentence (``the``, ``an``, ``and``).
NEVER_FINAL = frozenset("the an and".split())

#: Prepositions that do end sentences (``responded to.``, ``met with.``); not ``in`` (``in.`` is inches).
FINAL_PREPOSITIONS = frozenset("of to from with on at by for into upon".split())

#: Words that stand before an everyday noun or adjective but never before a name (``a nice``,
#: ``the bath``, ``my reading``, ``very well``): determiners and the intensifier ``very``.
DETERMINERS = ("a", "an", "the", "my", "your", "very")

#: Function words that open a sentence with a capital (``In March, 1920``, ``Then, ...``): capitalised,
#: they are not a proper noun.
SENTENCE_OPENERS = frozenset("in on at by for from to of the a an and but when after before since until during "
                             "then this that these those it he she they we".split())
