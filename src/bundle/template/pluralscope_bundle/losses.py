"""The weighted losses of WSFT and WDPO, as plain torch functions (no TRL, no transformers).

``weighted.py`` plugs these into TRL's trainers; keeping the arithmetic here lets the bundle's
unit tests check it against hand-computed values on any machine with torch (Debian's
``python3-torch`` is enough), without the training environment. The formulas are written out in
``weighted.py``'s module docstring.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

IGNORE_INDEX = -100  # label of prompt and padding positions in TRL's SFT collator


def completion_nll_per_example(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean next-token negative log-likelihood over each row's labelled positions.

    ``logits`` is [batch, length, vocab] as the model returns it (position t predicts token t + 1);
    ``labels`` is [batch, length] with ``IGNORE_INDEX`` on prompt and padding tokens. Returns a
    float32 tensor of shape [batch]; a row without any labelled token contributes 0. One row at a
    time keeps the float32 copy of the logits to one sequence.
    """
    shifted = logits[:, :-1, :]
    targets = labels[:, 1:]
    mask = targets != IGNORE_INDEX
    rows = []
    for row in range(shifted.size(0)):
        row_mask = mask[row]
        count = row_mask.sum()
        if count == 0:
            rows.append(shifted.new_zeros((), dtype=torch.float32))
            continue
        nll = F.cross_entropy(shifted[row][row_mask].float(), targets[row][row_mask], reduction="sum")
        rows.append(nll / count)
    return torch.stack(rows)


def weighted_mean(weights: torch.Tensor, per_example: torch.Tensor) -> torch.Tensor:
    """(1 / B) * sum_i w_i * l_i: the batch mean of weight x per-example loss."""
    return (weights.to(per_example.device, per_example.dtype) * per_example).mean()


def sequence_logps(logits: torch.Tensor, input_ids: torch.Tensor, completion_mask: torch.Tensor) -> torch.Tensor:
    """Summed log-probability of each row's completion tokens under next-token prediction.

    ``completion_mask`` is 1 on the completion's tokens (0 on the prompt and padding), aligned with
    ``input_ids``; the first token of a row is never predicted. Returns float32, shape [batch].
    Computed one row at a time in float32 (picked logit minus log-sum-exp): the value TRL's
    ``selective_log_softmax`` computes, without a full log-softmax tensor of the batch.
    """
    shift_logits = logits[:, :-1, :]
    shift_labels = input_ids[:, 1:]
    shift_mask = completion_mask[:, 1:]
    rows = []
    for row in range(shift_logits.size(0)):
        row_logits = shift_logits[row].float()
        picked = row_logits.gather(-1, shift_labels[row].unsqueeze(-1)).squeeze(-1)
        per_token = picked - torch.logsumexp(row_logits, dim=-1)
        rows.append(per_token.masked_fill(shift_mask[row] == 0, 0.0).sum())
    return torch.stack(rows)


def dpo_sigmoid_per_pair(
    beta: float,
    chosen_logps: torch.Tensor,
    rejected_logps: torch.Tensor,
    ref_chosen_logps: torch.Tensor,
    ref_rejected_logps: torch.Tensor,
) -> torch.Tensor:
    """-log sigmoid(beta * ((pi_w - ref_w) - (pi_l - ref_l))) for each pair: the DPO paper's loss."""
    margin = (chosen_logps - ref_chosen_logps) - (rejected_logps - ref_rejected_logps)
    return -F.logsigmoid(beta * margin)
