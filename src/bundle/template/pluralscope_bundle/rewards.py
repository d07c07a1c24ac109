"""GRPO rewards for DVMap-style training (SPEC section 3; seed 003, section 4.3).

The paper's reward is binary:  r = 1[y_hat == y] + beta * r_format.

* ``y_hat`` is read from the completion's last ``<answer>...</answer>`` pair: its content must
  match an option text (case, spacing and final punctuation ignored) or the option's label
  ("B", "B.", "(B)", "B. Rather important"). A completion without a readable answer gets 0.
* ``r_format`` is 1.0 when the completion contains exactly one ``<answer>...</answer>`` pair with
  non-empty content and nothing but whitespace after ``</answer>``, else 0.0. The paper cites
  DeepSeekMath for its format reward but publishes neither its exact rule nor beta: this rule and
  the default beta (configs/grpo.yaml ``reward.format_weight``) are ours, documented here.

The DVMap release's own VeRL reward code shapes rewards differently (a larger score for an exact
match, partial credit for a contained answer, a bonus per reasoning/answer tag, a
frequency-scaled variant); we follow the paper's formula, as SPEC section 3 does. The
``frequency`` column is carried through to the reward functions but not used.

The same functions serve TRL (``answer_correct_reward`` / ``answer_format_reward``, with
GRPOConfig.reward_weights = [1, beta]) and VeRL (``verl/reward.py``'s ``compute_score``), so both
trainers optimise the same reward.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from .labels import LABELS, extract_answer_tag, match_answer

DEFAULT_FORMAT_WEIGHT = 0.1

_PAIR = re.compile(r"<answer>(.*?)</answer>", re.DOTALL | re.IGNORECASE)
_OPEN = re.compile(r"<answer>", re.IGNORECASE)
_CLOSE = re.compile(r"</answer>", re.IGNORECASE)


def completion_text(completion: Any) -> str:
    """TRL passes a string (standard format) or a list of messages (conversational format)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        parts = [m.get("content", "") for m in completion if isinstance(m, dict) and m.get("role", "assistant") == "assistant"]
        return "".join(p if isinstance(p, str) else "" for p in parts)
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    return "" if completion is None else str(completion)


def predicted_index(text: str, options: Sequence[str]) -> int | None:
    """Option index (source order: labels A, B, ... in the order of ``options``) or None."""
    content = extract_answer_tag(text)
    if content is None:
        return None
    return match_answer(content, list(LABELS[: len(options)]), list(options))


def gold_index(options: Sequence[str], answer: str | None = None, answer_label: str | None = None) -> int:
    if answer is not None and answer in options:
        return list(options).index(answer)
    if answer_label is not None and answer_label in LABELS[: len(options)]:
        return LABELS.index(answer_label)
    raise ValueError(f"neither answer {answer!r} nor answer_label {answer_label!r} identifies one of {list(options)}")


def correctness_reward(text: str, options: Sequence[str], answer: str | None = None, answer_label: str | None = None) -> float:
    """1.0 when the answer read from the <answer> tag is the gold option, else 0.0."""
    predicted = predicted_index(text, options)
    return 1.0 if predicted is not None and predicted == gold_index(options, answer, answer_label) else 0.0


def format_reward(text: str) -> float:
    """1.0 for exactly one non-empty <answer>...</answer> pair with nothing after it, else 0.0."""
    text = text or ""
    pairs = _PAIR.findall(text)
    if len(pairs) != 1 or len(_OPEN.findall(text)) != 1 or len(_CLOSE.findall(text)) != 1:
        return 0.0
    if pairs[0].strip() in ("", "..."):
        return 0.0
    tail = text[_CLOSE.search(text).end():]
    return 1.0 if tail.strip() == "" else 0.0


def combined_reward(text: str, options: Sequence[str], answer: str | None = None, answer_label: str | None = None,
                    format_weight: float = DEFAULT_FORMAT_WEIGHT) -> float:
    """The paper's r = 1[y_hat == y] + beta * r_format."""
    return correctness_reward(text, options, answer, answer_label) + format_weight * format_reward(text)


# --- TRL GRPOTrainer reward functions -------------------------------------------------------
# GRPOTrainer calls each reward function as f(prompts=..., completions=..., completion_ids=...,
# **columns) where every other dataset column arrives as a list aligned with `completions`
# (TRL 1.9, GRPOTrainer._calculate_rewards). Extra keyword arguments (trainer_state, log_metric,
# ...) are accepted and ignored.

def answer_correct_reward(completions: list, options: list, answer: list | None = None, answer_label: list | None = None, **kwargs) -> list[float]:
    n = len(completions)
    answers = answer if answer is not None else [None] * n
    answer_labels = answer_label if answer_label is not None else [None] * n
    return [
        correctness_reward(completion_text(c), opts, a, l)
        for c, opts, a, l in zip(completions, options, answers, answer_labels)
    ]


def answer_format_reward(completions: list, **kwargs) -> list[float]:
    return [format_reward(completion_text(c)) for c in completions]
