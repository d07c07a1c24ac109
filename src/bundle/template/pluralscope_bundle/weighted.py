"""Per-example loss weights for TRL's SFT and DPO trainers (WSFT / WDPO, FAIR-SP section 3.2.1).

TRL has no per-sample weights, so these are two small subclasses written against TRL 1.9 and run
with TRL 1.13 (smoke_test.sh):

``WeightedSFTTrainer`` (WSFT)
    Each training line carries ``weight`` (already rescaled so the mean over the training set is
    1). For a micro-batch of examples i with completion tokens C_i, the loss is

        loss = (1 / B) * sum_i  w_i * ( (1 / |C_i|) * sum_{t in C_i}  -log p(x_t | x_<t) )

    i.e. the mean over the batch of weight x per-example loss, where the per-example loss is the
    mean token negative log-likelihood over **that example's completion tokens only** (the
    prompt, the chat template's prompt tokens and padding are masked, as in TRL's
    completion-only loss). Note the normalisation differs from TRL's plain SFT, which averages
    over all completion tokens of the batch (longer completions weigh more there); with one-letter
    answers, as in FAIR-SP, every completion has the same few tokens and the two agree up to the
    weights.

``WeightedDPOTrainer`` (WDPO)
    The standard DPO (sigmoid) loss per preference pair,
    l_i = -log sigmoid(beta * ((log pi(y_w|x) - log ref(y_w|x)) - (log pi(y_l|x) - log ref(y_l|x)))),
    with sequence log-probabilities summed over completion tokens as in TRL, and

        loss = (1 / B) * sum_i  w_i * l_i

    i.e. each pair's loss is multiplied by its weight before the batch mean. The reference is the
    frozen base model obtained by disabling the LoRA adapter (TRL's behaviour when a PEFT model is
    trained without ``ref_model``), a separate reference model for full fine-tuning, or
    precomputed reference log-probs when ``precompute_ref_log_probs=True``. Only the ``sigmoid``
    loss is supported (the DPO paper's and the FAIR-SP paper's); other loss types raise.

Across gradient accumulation the trainers divide each micro-batch loss by the number of
accumulation steps (``model_accepts_loss_kwargs = False``), and under DDP/FSDP/DeepSpeed the
gradients are averaged across processes, so one optimizer step follows the mean of w_i * l_i over
the global batch (exactly, when micro-batches are full; the last, smaller batch of an epoch
counts as much as a full one, as in TRL).

Evaluation reports the same weighted loss when the eval lines carry weights (unit weights
otherwise).
"""

from __future__ import annotations

from typing import Any

import torch
from accelerate.utils import is_peft_model
from trl import DPOTrainer, SFTTrainer
from trl.models.utils import disable_gradient_checkpointing
from trl.trainer.dpo_trainer import DataCollatorForPreference
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling
from trl.trainer.utils import use_adapter

from pluralscope_bundle.losses import (
    IGNORE_INDEX,
    completion_nll_per_example,
    dpo_sigmoid_per_pair,
    sequence_logps,
    weighted_mean,
)

WEIGHT_KEY = "weight"


def _weights(examples: list[dict[str, Any]]) -> torch.Tensor:
    # 1.0 where a line has no weight (eval lines may have none; `datasets` fills a missing key with None).
    values = [example.get(WEIGHT_KEY) for example in examples]
    return torch.tensor([1.0 if value is None else float(value) for value in values], dtype=torch.float32)


class WeightedLanguageModelingCollator(DataCollatorForLanguageModeling):
    """TRL's SFT collator, plus a float ``weight`` tensor of shape [batch] (1.0 when absent)."""

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        batch = super().torch_call(examples)
        batch[WEIGHT_KEY] = _weights(examples)
        return batch


class WeightedPreferenceCollator(DataCollatorForPreference):
    """TRL's preference collator, plus ``weight`` of shape [pairs] (chosen rows first, then rejected)."""

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        batch = super().torch_call(examples)
        batch[WEIGHT_KEY] = _weights(examples)
        return batch


class WeightedSFTTrainer(SFTTrainer):
    """SFTTrainer whose loss is the batch mean of weight x per-example completion NLL (see module doc)."""

    def __init__(self, *args, **kwargs):
        training_args = kwargs.get("args")
        if training_args is not None:
            if getattr(training_args, "packing", False) or getattr(training_args, "padding_free", False):
                raise ValueError("WeightedSFTTrainer needs one example per row: set trainer.packing=false and trainer.padding_free=false")
            if getattr(training_args, "use_liger_kernel", False):
                raise ValueError("WeightedSFTTrainer computes the loss from logits: set trainer.use_liger_kernel=false")
            if getattr(training_args, "loss_type", "nll") != "nll":
                # TRL's default "chunked_nll" patches the model forward to compute the loss itself;
                # this trainer needs the logits, so it requires the plain forward.
                raise ValueError("WeightedSFTTrainer requires trainer.loss_type='nll'")
        super().__init__(*args, **kwargs)
        if self.padding_free:
            raise ValueError("WeightedSFTTrainer does not support padding-free batches")
        # We return a per-micro-batch mean; let Trainer divide by the accumulation steps.
        self.model_accepts_loss_kwargs = False

    def _set_signature_columns_if_needed(self):
        super()._set_signature_columns_if_needed()
        if WEIGHT_KEY not in self._signature_columns:
            self._signature_columns = list(self._signature_columns) + [WEIGHT_KEY]

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        mode = "train" if self.model.training else "eval"
        inputs.pop("_prediction_loss_only", None)
        weights = inputs.pop(WEIGHT_KEY)
        labels = inputs["labels"]
        outputs = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"], use_cache=False)
        per_example = completion_nll_per_example(outputs.logits, labels)
        weights = weights.to(per_example.device, per_example.dtype)
        loss = weighted_mean(weights, per_example)
        logits = outputs.logits[:, :-1, :]
        targets = labels[:, 1:]
        mask = targets != IGNORE_INDEX

        with torch.no_grad():
            predictions = logits.argmax(dim=-1)
            correct = ((predictions == targets) & mask).sum()
            total = mask.sum()
            correct = self.accelerator.gather_for_metrics(correct).sum()
            total = self.accelerator.gather_for_metrics(total).sum()
            self._metrics[mode]["mean_token_accuracy"].append((correct / total).item() if total > 0 else 0.0)
            self._metrics[mode]["unweighted_nll"].append(self.accelerator.gather_for_metrics(per_example.detach()).mean().item())
            self._metrics[mode]["mean_weight"].append(self.accelerator.gather_for_metrics(weights).mean().item())
        return (loss, outputs) if return_outputs else loss


class WeightedDPOTrainer(DPOTrainer):
    """DPOTrainer whose sigmoid loss is the batch mean of weight x per-pair loss (see module doc)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if list(self.loss_types) != ["sigmoid"]:
            raise ValueError(f"WeightedDPOTrainer supports loss_type ['sigmoid'] only, got {self.loss_types}")
        if self.use_liger_kernel:
            raise ValueError("WeightedDPOTrainer computes the loss from logits: set trainer.use_liger_kernel=false")
        if self.ld_alpha is not None or self.f_divergence_type != "reverse_kl" or self.use_weighting:
            raise ValueError("WeightedDPOTrainer supports standard DPO only (ld_alpha unset, f_divergence_type='reverse_kl', use_weighting=false)")
        if self.aux_loss_enabled:
            raise ValueError("WeightedDPOTrainer does not add MoE auxiliary losses: set trainer.router_aux_loss_coef=0")
        # DPOTrainer already sets this; keep it explicit since the loss below is a per-batch mean.
        self.model_accepts_loss_kwargs = False

    def _set_signature_columns_if_needed(self):
        super()._set_signature_columns_if_needed()
        if WEIGHT_KEY not in self._signature_columns:
            self._signature_columns = list(self._signature_columns) + [WEIGHT_KEY]

    def compute_ref_log_probs(self, model, inputs):
        # Used when precomputing reference log-probs: the weight is no model input.
        return super().compute_ref_log_probs(model, {k: v for k, v in inputs.items() if k != WEIGHT_KEY})

    def _compute_loss(self, model, inputs, return_outputs):
        mode = "train" if self.model.training else "eval"
        weights = inputs.pop(WEIGHT_KEY)
        model_kwargs = {"input_ids": inputs["input_ids"], "attention_mask": inputs["attention_mask"], "use_cache": False}
        outputs = model(**model_kwargs)
        logps = sequence_logps(outputs.logits, inputs["input_ids"], inputs["completion_mask"])
        chosen_logps, rejected_logps = logps.chunk(2, dim=0)  # rows are [chosen..., rejected...]

        if self.precompute_ref_logps:
            ref_chosen_logps, ref_rejected_logps = inputs["ref_chosen_logps"], inputs["ref_rejected_logps"]
        else:
            with torch.no_grad(), disable_gradient_checkpointing(self.model, self.args.gradient_checkpointing_kwargs):
                if is_peft_model(model) and self.ref_model is None:
                    # The reference is the base model: the LoRA adapter disabled (or a frozen "ref"
                    # adapter copy when re-training an existing adapter), exactly as DPOTrainer does.
                    unwrapped = self.accelerator.unwrap_model(model)
                    with use_adapter(unwrapped, adapter_name="ref" if "ref" in unwrapped.peft_config else None):
                        ref_outputs = self.model(**model_kwargs)
                else:
                    ref_outputs = self.ref_model(**model_kwargs)
            ref_logps = sequence_logps(ref_outputs.logits, inputs["input_ids"], inputs["completion_mask"])
            ref_chosen_logps, ref_rejected_logps = ref_logps.chunk(2, dim=0)

        chosen_logratios = chosen_logps - ref_chosen_logps
        rejected_logratios = rejected_logps - ref_rejected_logps
        per_pair = dpo_sigmoid_per_pair(self.beta, chosen_logps, rejected_logps, ref_chosen_logps, ref_rejected_logps)
        weights = weights.to(per_pair.device, per_pair.dtype)
        loss = weighted_mean(weights, per_pair)

        with torch.no_grad():
            chosen_rewards = self.beta * chosen_logratios.detach()
            rejected_rewards = self.beta * rejected_logratios.detach()
            gather = self.accelerator.gather_for_metrics
            metrics = self._metrics[mode]
            metrics["rewards/chosen"].append(gather(chosen_rewards).mean().item())
            metrics["rewards/rejected"].append(gather(rejected_rewards).mean().item())
            metrics["rewards/accuracies"].append(gather((chosen_rewards > rejected_rewards).float()).mean().item())
            metrics["rewards/margins"].append(gather(chosen_rewards - rejected_rewards).mean().item())
            metrics["logps/chosen"].append(gather(chosen_logps.detach()).mean().item())
            metrics["logps/rejected"].append(gather(rejected_logps.detach()).mean().item())
            metrics["unweighted_loss"].append(gather(per_pair.detach()).mean().item())
            metrics["mean_weight"].append(gather(weights).mean().item())
        return (loss, outputs) if return_outputs else loss
