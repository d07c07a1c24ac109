"""Option labels, their token variants (likelihood scoring) and the answer parsers (generation).

Likelihood scoring (SPEC section 4): each option's probability is the sum, over its label's
variants "A" and " A", of the next-token probability, counting **only variants that encode to
exactly one token** (with ``add_special_tokens=False``). For byte-level BPE tokenizers (Llama 3,
Qwen 2/3, GPT-2 style) both variants are single tokens. For SentencePiece tokenizers that prefix
"▁" on their own, "A" may already encode to "▁A" and " A" to two tokens; then only the
single-token variant counts. A label with no single-token variant cannot be scored.

Generation parsing: see ``parse_answer`` (default) and ``parse_fairpp_release``.
"""

from __future__ import annotations

import re
import string
from typing import Callable, Sequence

LABELS = tuple(string.ascii_uppercase)

PARSER_DEFAULT = "answer-tag-or-label"
PARSER_FAIRPP = "fairpp-release"
PARSERS = (PARSER_DEFAULT, PARSER_FAIRPP)

_ANSWER_TAG = re.compile(r"<answer>(.*?)</answer>", re.DOTALL | re.IGNORECASE)


def labels_for(count: int) -> list[str]:
    if count > len(LABELS):
        raise ValueError(f"at most {len(LABELS)} options can be labelled, got {count}")
    return list(LABELS[:count])


def label_variants(label: str) -> list[str]:
    """The surface forms whose next-token probability counts for a label."""
    return [label, " " + label]


def single_token_ids(encode: Callable[[str], Sequence[int]], label: str) -> list[int]:
    """Token ids of the label's variants that encode to exactly one token (deduplicated, in order).

    ``encode`` must tokenize without special tokens, e.g.
    ``lambda s: tokenizer.encode(s, add_special_tokens=False)``.
    """
    ids: list[int] = []
    for variant in label_variants(label):
        tokens = list(encode(variant))
        if len(tokens) == 1 and tokens[0] not in ids:
            ids.append(int(tokens[0]))
    return ids


def variant_table(encode: Callable[[str], Sequence[int]], labels: Sequence[str]) -> dict[str, list[int]]:
    """label -> its single-token variant ids. Raises if a label has none, or two labels share an id."""
    table = {label: single_token_ids(encode, label) for label in labels}
    missing = [label for label, ids in table.items() if not ids]
    if missing:
        raise ValueError(f"labels {missing} have no variant that encodes to exactly one token; they cannot be scored by likelihood")
    owner: dict[int, str] = {}
    for label, ids in table.items():
        for token in ids:
            if token in owner:
                raise ValueError(f"labels {owner[token]!r} and {label!r} share token id {token}")
            owner[token] = label
    return table


def label_distribution(probs_by_token: Callable[[int], float], table: dict[str, list[int]], labels: Sequence[str]) -> tuple[list[float] | None, float]:
    """From next-token probabilities to (distribution over labels renormalised, label mass).

    ``probs_by_token(id)`` returns the full-vocabulary softmax probability of a token. The label
    mass is the sum over labels before renormalising; the distribution is None when it is 0.
    """
    raw = [sum(float(probs_by_token(token)) for token in table[label]) for label in labels]
    mass = sum(raw)
    if not mass > 0:
        return None, 0.0
    return [value / mass for value in raw], mass


def to_source_order(display: Sequence[float], order: Sequence[int]) -> list[float]:
    """order[i] is the original option index shown at display position i."""
    source = [0.0] * len(order)
    for position, original in enumerate(order):
        source[original] = float(display[position])
    return source


def average(distributions: Sequence[Sequence[float]]) -> list[float]:
    n = len(distributions)
    return [sum(d[k] for d in distributions) / n for k in range(len(distributions[0]))]


# --- generation parsing --------------------------------------------------------------------

def normalize_text(text: str) -> str:
    """Case-folded, whitespace-collapsed, surrounding quotes/brackets and final punctuation removed."""
    text = " ".join(text.split()).casefold()
    text = text.strip(" \"'`*[](){}")
    text = text.rstrip(".!;:,")
    return text.strip()


def extract_answer_tag(text: str) -> str | None:
    """Content of the last <answer>...</answer> pair, stripped; None when absent or empty.

    Scans the whole text: a reasoning model's long chain of thought before the tag is fine.
    """
    matches = _ANSWER_TAG.findall(text or "")
    if not matches:
        return None
    content = matches[-1].strip()
    if content in ("", "..."):
        return None
    return content


_LABEL_FORM = re.compile(r"^\(?([A-Za-z])\)?[.):]?$")
_LABEL_THEN_TEXT = re.compile(r"^\(?([A-Za-z])\s*[.):]\s+(.+)$", re.DOTALL)
_LEADING_LABEL = re.compile(r"^\s*\(?([A-Z])(?:\)|\.|:|[ \t]*\n|\s*$)")


def match_answer(content: str, labels: Sequence[str], options: Sequence[str]) -> int | None:
    """Display index for an answer's content: an option text, a label ("B", "B.", "(B)"), or "B. text".

    ``options`` are the option texts in display order (``labels[i]`` labels ``options[i]``).
    """
    wanted = normalize_text(content)
    if not wanted:
        return None
    texts = [normalize_text(option) for option in options]
    if wanted in texts and texts.count(wanted) == 1:
        return texts.index(wanted)
    match = _LABEL_FORM.match(content.strip())
    if match and match.group(1).upper() in labels:
        return list(labels).index(match.group(1).upper())
    match = _LABEL_THEN_TEXT.match(content.strip())
    if match and match.group(1).upper() in labels:
        index = list(labels).index(match.group(1).upper())
        if normalize_text(match.group(2)) == texts[index]:
            return index
    return None


def parse_answer(text: str, labels: Sequence[str], options: Sequence[str]) -> int | None:
    """The default generation parser ("answer-tag-or-label"), returning a display index or None.

    1. If the text has an <answer>...</answer> pair, its (last) content must match an option text
       or a label (see ``match_answer``); otherwise the sample is invalid.
    2. Without a tag, a leading label counts: the text starts with "B" alone, "B.", "B)", "B:" or
       "(B)", or "B" alone on the first line. A capital followed by a word ("A person ...") does not.
    """
    tagged = extract_answer_tag(text)
    if tagged is not None:
        return match_answer(tagged, labels, options)
    if _ANSWER_TAG.search(text or ""):
        return None  # an empty tag
    match = _LEADING_LABEL.match(text or "")
    if match and match.group(1) in labels:
        return list(labels).index(match.group(1))
    return None


def parse_fairpp_release(text: str, labels: Sequence[str]) -> tuple[int, bool]:
    """The FAIR-SP (Fair-PP) release's rule, generalised to the item's labels (SPEC section 1).

    In label order: the text contains "A." or equals "A" -> A; then B; then C; ... Anything else
    (or empty) -> the last label (N/A in FAIR-SP, where C is "N/A"). Returns (display index,
    whether a rule matched); unmatched texts still map to the last label, as the release does.
    The text is tested as generated, not stripped (the release's ``'A' == value``): " A" matches no rule.
    """
    raw = text or ""
    for index, label in enumerate(labels):
        if f"{label}." in raw or raw == label:
            return index, True
    return len(labels) - 1, False
