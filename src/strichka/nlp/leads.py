"""An article's lead as readers get it: the one its outlet wrote, else its own first sentences.

Lists, feeds and story cards show a title and a lead; an article fetched from a plain page
often has no lead of its own, and its first sentence or two say what it is about (news is
written as an inverted pyramid). Only the start of a long first paragraph is split, so a lead
costs the same however long the article.
"""

from __future__ import annotations

import re

from strichka.nlp.dates import MONTH_WORDS
from strichka.nlp.tokens import split_sentences
from strichka.records import Article

LEAD_CHARS = 300
"""A second sentence joins the first only while the lead stays within this length."""


def lead_of(article: Article, *, max_chars: int = LEAD_CHARS) -> str:
    """The article's own lead, else its first sentence (two when the first is short)."""
    if article.lead:
        return article.lead
    text = next(iter(article.paragraphs), "") or article.body_text
    # Two whole sentences lie near the start: split only that much of a long paragraph,
    # unless it holds fewer than three sentences (the last one split may be cut).
    head = text[: 4 * max_chars]
    found = split_sentences(head)
    if len(found) < 3 and len(head) < len(text):
        found = split_sentences(text)
    # An agency dateline («КИЇВ. 5 липня. УНН.») splits into sentences that say nothing.
    while len(found) > 1 and _dateline(text[found[0].start : found[0].end]):
        found = found[1:]
    lead = ""
    for sentence in found[:2]:
        words = text[sentence.start : sentence.end]
        if lead and len(lead) + len(words) > max_chars:
            break
        lead = f"{lead} {words}".strip()
    return lead


def _dateline(sentence: str) -> bool:
    """A place or an agency in capitals, or a day and month: «КИЇВ.», «5 липня.», «УНН.»."""
    words = re.findall(r"\w+", sentence)
    return 0 < len(words) <= 3 and all(
        (w.isupper() and len(w) > 1) or w.isdigit() or w.lower() in MONTH_WORDS for w in words
    )
