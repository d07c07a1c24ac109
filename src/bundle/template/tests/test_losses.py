"""WSFT / WDPO loss arithmetic (pluralscope_bundle/losses.py) against hand-computed values.

Needs torch (Debian's python3-torch is enough; no TRL or transformers): skipped where torch is
missing. scripts/check-bundle-template.sh runs this file with an interpreter that has torch when
the machine has one, and .ci/run installs Debian's python3-torch so CI always does.
The references below are plain Python (math.exp / math.log on lists), not torch.
"""

import math
import unittest

import bundle_fixtures  # importing it puts the bundle root on sys.path

del bundle_fixtures

try:
    import torch
except ImportError:  # the stdlib-only suite still runs everything else
    torch = None

if torch is not None:
    from pluralscope_bundle.losses import (
        IGNORE_INDEX,
        completion_nll_per_example,
        dpo_sigmoid_per_pair,
        sequence_logps,
        weighted_mean,
    )

# Two rows, five positions, vocabulary of four. Position t's logits predict token t + 1.
LOGITS = [
    [[0.0, 1.0, 2.0, 3.0], [1.5, -0.5, 0.0, 0.2], [0.3, 0.3, 2.0, -1.0], [2.0, 0.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]],
    [[-1.0, 0.0, 1.0, 0.5], [0.0, 0.0, 0.0, 0.0], [3.0, 1.0, -2.0, 0.0], [0.5, 0.5, 0.5, 2.5], [1.0, 1.0, 1.0, 1.0]],
]
TOKENS = [[3, 1, 2, 0, 2], [2, 0, 1, 3, 3]]
# Row 0: prompt = the first three tokens, completion = tokens 3..4; row 1: prompt two, completion three.
COMPLETION = [[0, 0, 0, 1, 1], [0, 0, 1, 1, 1]]


def log_prob(logits_row: list[float], token: int) -> float:
    """log softmax(logits_row)[token], by hand."""
    top = max(logits_row)
    return logits_row[token] - (top + math.log(sum(math.exp(value - top) for value in logits_row)))


def completion_log_probs(row: int) -> list[float]:
    """log p(token t | tokens < t) for every completion token t of a row."""
    return [log_prob(LOGITS[row][t - 1], TOKENS[row][t]) for t in range(1, 5) if COMPLETION[row][t]]


def labels_from_completion() -> list[list[int]]:
    return [[TOKENS[r][t] if COMPLETION[r][t] else IGNORE_INDEX for t in range(5)] for r in range(2)]


@unittest.skipIf(torch is None, "torch is not installed (apt-get install python3-torch)")
class WeightedSftLossTest(unittest.TestCase):
    def setUp(self):
        self.logits = torch.tensor(LOGITS, dtype=torch.float32)
        self.labels = torch.tensor(labels_from_completion(), dtype=torch.long)

    def test_per_example_is_mean_nll_over_that_rows_completion_tokens(self):
        expected = [-sum(completion_log_probs(row)) / len(completion_log_probs(row)) for row in range(2)]
        got = completion_nll_per_example(self.logits, self.labels).tolist()
        for value, reference in zip(got, expected):
            self.assertAlmostEqual(value, reference, places=5)

    def test_weighted_loss_is_batch_mean_of_weight_times_example_loss(self):
        per_example = completion_nll_per_example(self.logits, self.labels)
        a, b = per_example.tolist()
        loss = weighted_mean(torch.tensor([0.5, 1.75]), per_example)
        self.assertAlmostEqual(loss.item(), (0.5 * a + 1.75 * b) / 2, places=5)

    def test_unit_weights_and_equal_lengths_match_token_averaged_cross_entropy(self):
        # The module's claim: with completions of equal length (one-letter answers) and unit weights,
        # WSFT's loss equals plain SFT's mean over all completion tokens of the batch.
        labels = self.labels.clone()
        labels[1, 2] = IGNORE_INDEX  # both rows now have two completion tokens
        per_example = completion_nll_per_example(self.logits, labels)
        plain = torch.nn.functional.cross_entropy(
            self.logits[:, :-1, :].reshape(-1, 4), labels[:, 1:].reshape(-1), ignore_index=IGNORE_INDEX
        )
        self.assertAlmostEqual(weighted_mean(torch.ones(2), per_example).item(), plain.item(), places=5)

    def test_a_row_without_completion_tokens_contributes_zero(self):
        labels = self.labels.clone()
        labels[0, :] = IGNORE_INDEX
        per_example = completion_nll_per_example(self.logits, labels)
        self.assertEqual(per_example[0].item(), 0.0)
        self.assertGreater(per_example[1].item(), 0.0)

    def test_weight_two_equals_the_example_twice_and_weight_zero_has_no_gradient(self):
        logits = self.logits.clone().requires_grad_(True)
        weighted_mean(torch.tensor([2.0, 0.0]), completion_nll_per_example(logits, self.labels)).backward()
        doubled = self.logits[:1].repeat(2, 1, 1).requires_grad_(True)
        weighted_mean(torch.ones(2), completion_nll_per_example(doubled, self.labels[:1].repeat(2, 1))).backward()
        self.assertTrue(torch.allclose(logits.grad[0], doubled.grad.sum(dim=0), atol=1e-6))
        self.assertEqual(logits.grad[1].abs().sum().item(), 0.0)

    def test_bfloat16_logits_give_a_float32_loss_close_to_float32(self):
        per_example = completion_nll_per_example(self.logits.to(torch.bfloat16), self.labels)
        self.assertEqual(per_example.dtype, torch.float32)
        reference = completion_nll_per_example(self.logits, self.labels)
        self.assertTrue(torch.allclose(per_example, reference, atol=0.05))


@unittest.skipIf(torch is None, "torch is not installed (apt-get install python3-torch)")
class WeightedDpoLossTest(unittest.TestCase):
    def test_sequence_logps_sum_completion_tokens_only(self):
        got = sequence_logps(
            torch.tensor(LOGITS), torch.tensor(TOKENS), torch.tensor(COMPLETION)
        ).tolist()
        for row in range(2):
            self.assertAlmostEqual(got[row], sum(completion_log_probs(row)), places=5)

    def test_first_token_is_never_predicted(self):
        # A mask on position 0 changes nothing: no logits predict the first token.
        mask = torch.tensor(COMPLETION)
        mask[:, 0] = 1
        self.assertTrue(torch.equal(
            sequence_logps(torch.tensor(LOGITS), torch.tensor(TOKENS), mask),
            sequence_logps(torch.tensor(LOGITS), torch.tensor(TOKENS), torch.tensor(COMPLETION)),
        ))

    def test_sigmoid_loss_by_hand(self):
        # beta 0.1; policy chosen -1, rejected -3; reference -2 and -2: margin (1) - (-1) = 2.
        loss = dpo_sigmoid_per_pair(0.1, torch.tensor([-1.0, -2.0]), torch.tensor([-3.0, -2.0]),
                                    torch.tensor([-2.0, -2.0]), torch.tensor([-2.0, -2.0]))
        self.assertAlmostEqual(loss[0].item(), math.log(1 + math.exp(-0.2)), places=6)
        self.assertAlmostEqual(loss[1].item(), math.log(2), places=6)  # policy = reference

    def test_weighted_pairs(self):
        per_pair = torch.tensor([math.log(1 + math.exp(-0.2)), math.log(2)])
        loss = weighted_mean(torch.tensor([3.0, 0.5]), per_pair)
        self.assertAlmostEqual(loss.item(), (3.0 * per_pair[0].item() + 0.5 * math.log(2)) / 2, places=6)

    def test_loss_falls_as_the_chosen_completion_gains_probability(self):
        chosen = torch.tensor([-2.0], requires_grad=True)
        loss = dpo_sigmoid_per_pair(0.1, chosen, torch.tensor([-2.0]), torch.tensor([-2.0]), torch.tensor([-2.0]))
        loss.backward()
        # d/dx -log sigmoid(beta x) at x = 0 is -beta / 2.
        self.assertAlmostEqual(chosen.grad.item(), -0.05, places=6)


if __name__ == "__main__":
    unittest.main()
