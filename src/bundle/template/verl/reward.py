"""VeRL custom reward: the same reward as the TRL path (pluralscope_bundle/rewards.py).

VeRL loads this file by path (``custom_reward_function.path=verl/reward.py``,
``custom_reward_function.name=compute_score``) and calls, for each rollout,

    compute_score(data_source, solution_str, ground_truth, extra_info=None, **reward_kwargs)

with ``ground_truth`` = reward_model.ground_truth (the gold option text) and ``extra_info`` the
row's extra_info (verl/to_parquet.py puts the options and the answer label there). Extra keyword
arguments come from ``custom_reward_function.reward_kwargs``; ``format_weight`` (the paper's
beta) is read from there, else from the environment variable PLURALSCOPE_FORMAT_WEIGHT, else 0.1.

Returns a dict: VeRL uses "score" as the reward and logs the other keys.
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from pluralscope_bundle.rewards import DEFAULT_FORMAT_WEIGHT, correctness_reward, format_reward  # noqa: E402


def compute_score(data_source, solution_str, ground_truth, extra_info=None, format_weight=None, **kwargs):
    extra_info = extra_info or {}
    options = list(extra_info.get("options") or [])
    if ground_truth not in options:
        options.append(ground_truth)  # still scores answers given as text
    if format_weight is None:
        format_weight = float(os.environ.get("PLURALSCOPE_FORMAT_WEIGHT", DEFAULT_FORMAT_WEIGHT))
    correct = correctness_reward(solution_str, options, ground_truth, extra_info.get("answer_label"))
    formatted = format_reward(solution_str)
    return {"score": correct + float(format_weight) * formatted, "correct": correct, "format": formatted}
