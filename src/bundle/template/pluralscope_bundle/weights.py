"""Frequency-tier sample weights for WSFT / WDPO (SPEC section 1, FAIR-SP paper section 3.2.1).

For a target segment t and a training question, the tier is

    T = 1 + (number of the other six segments whose answer differs from t's)

so tier 1 = an answer all seven segments share, tier 7 = an answer unique to t. With N_T the
number of training samples in tier T, every sample in tier T gets

    W_T = (T / N_T) / sum_j (T_j / N_j)        (sum over the tiers that occur)

and the weights the trainers multiply the per-example loss by are the W_T rescaled so that their
mean over the training set is 1 (SPEC section 4), i.e. w_i = W_{T_i} * n / sum_k W_{T_k}. The
rescaling changes no ratio between samples; it keeps the loss (and so the effective learning
rate) on the same scale as unweighted training.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

TIERS = tuple(range(1, 8))


def tier_of(target_answer, other_answers: Sequence) -> int:
    """Tier of one question for the target: 1 + how many of the other segments answered differently."""
    if len(other_answers) != 6:
        raise ValueError(f"expected the answers of the 6 other segments, got {len(other_answers)}")
    return 1 + sum(1 for answer in other_answers if answer != target_answer)


def tier_weights(counts: Mapping[int, int] | Sequence[int]) -> dict[int, float]:
    """W_T for each tier with N_T > 0. ``counts`` maps tier -> N_T, or is the list N_1..N_7."""
    if not isinstance(counts, Mapping):
        counts = {tier: n for tier, n in zip(TIERS, counts)}
    present = {int(t): int(n) for t, n in counts.items() if int(n) > 0}
    for tier in present:
        if tier not in TIERS:
            raise ValueError(f"tier {tier} is outside 1..7")
    if not present:
        raise ValueError("no tier has any sample")
    denominator = sum(t / n for t, n in present.items())
    return {t: (t / n) / denominator for t, n in sorted(present.items())}


def sample_weights(tiers: Iterable[int]) -> list[float]:
    """Per-sample weights, W_T of each sample's tier, rescaled to mean 1 over the given samples."""
    tiers = [int(t) for t in tiers]
    if not tiers:
        return []
    raw = tier_weights(Counter(tiers))
    total = sum(raw[t] for t in tiers)
    scale = len(tiers) / total
    return [raw[t] * scale for t in tiers]


def scaled_tier_weights(counts: Mapping[int, int] | Sequence[int]) -> dict[int, float]:
    """W_T rescaled so that the mean weight over all samples is 1 (what each train line carries)."""
    if not isinstance(counts, Mapping):
        counts = {tier: n for tier, n in zip(TIERS, counts)}
    raw = tier_weights(counts)
    n = sum(int(counts[t]) for t in raw)
    total = sum(raw[t] * int(counts[t]) for t in raw)
    return {t: w * n / total for t, w in raw.items()}


def check_manifest_tiers(records: Sequence[dict], manifest_tiers: Mapping, tolerance: float = 1e-6) -> list[str]:
    """Cross-checks the train lines' tier/weight against the manifest's ``tiers`` block.

    Returns a list of human-readable problems (empty when consistent). The manifest may give each
    tier's weight either as the paper's W_T or already rescaled to mean 1; both are accepted.
    """
    problems: list[str] = []
    counts = Counter(int(r["tier"]) for r in records)
    declared = {int(k): v for k, v in manifest_tiers.items()}
    for tier in sorted(set(counts) | set(declared)):
        entry = declared.get(tier)
        if entry is None:
            problems.append(f"tier {tier} occurs {counts[tier]} times in train but not in manifest.tiers")
            continue
        if int(entry.get("count", -1)) != counts.get(tier, 0):
            problems.append(f"tier {tier}: manifest count {entry.get('count')} but {counts.get(tier, 0)} train lines")
    if problems:
        return problems
    raw = tier_weights(counts)
    scaled = scaled_tier_weights(counts)
    for tier in sorted(counts):
        declared_weight = float(declared[tier].get("weight", float("nan")))
        if not (abs(declared_weight - raw[tier]) <= tolerance * max(1.0, raw[tier])
                or abs(declared_weight - scaled[tier]) <= tolerance * max(1.0, scaled[tier])):
            problems.append(
                f"tier {tier}: manifest weight {declared_weight} matches neither W_T={raw[tier]:.6g} nor the mean-1 weight {scaled[tier]:.6g}"
            )
        line_weights = {round(float(r["weight"]), 9) for r in records if int(r["tier"]) == tier}
        if any(abs(w - scaled[tier]) > 1e-4 * max(1.0, scaled[tier]) for w in line_weights):
            problems.append(f"tier {tier}: train lines carry weights {sorted(line_weights)[:3]}, expected {scaled[tier]:.6g}")
    return problems
