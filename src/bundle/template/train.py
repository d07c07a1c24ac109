#!/usr/bin/env python3
"""Pluralscope training bundle: one entry point for every method.

    accelerate launch --config_file accelerate/single_gpu.yaml train.py --config configs/<method>.yaml [--set key=value ...]

What it does, in order:
  1. reads ``manifest.json`` and the config (``configs/<method>.yaml`` plus ``--set`` overrides);
  2. checks every data file's sha256 against the manifest and validates every JSONL line
     (errors name the file, line and field) -- ``--dry-run`` stops here, and needs no torch;
  3. loads the base model (the manifest's ``base_model`` unless ``model.name_or_path`` is set)
     and its tokenizer, and hands a PEFT ``LoraConfig`` to the TRL trainer, which wraps the model
     (``peft.enabled=false`` trains all weights instead);
  4. dispatches by method:
       sft, lora-sft -> trl.SFTTrainer, completion-only loss (the prompt is masked)
       wsft          -> pluralscope_bundle.weighted.WeightedSFTTrainer (per-example weights)
       dpo           -> trl.DPOTrainer; with LoRA the reference model is the frozen base,
                        obtained by disabling the adapter (no second copy in memory)
       wdpo          -> pluralscope_bundle.weighted.WeightedDPOTrainer (per-pair weights)
       grpo          -> trl.GRPOTrainer with the rewards of pluralscope_bundle/rewards.py
  5. saves the adapter (or the full model) and tokenizer to ``<output_dir>/final`` and writes
     ``<output_dir>/training_summary.json``.

Batch sizes: ``batch.global_train_batch_size`` is the paper's batch (examples per optimizer step;
for GRPO, *prompts* per step, each with ``trainer.num_generations`` rollouts). The script derives
``gradient_accumulation_steps`` from the number of processes so that the global batch stays the
same on 1 GPU, 8 GPUs or several nodes.

Written against TRL 1.9 and run with TRL 1.13, transformers 5.17, peft 0.21, accelerate 1.15 (see requirements.txt).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from pluralscope_bundle import METHOD_FORMATS, __version__  # noqa: E402
from pluralscope_bundle.config import gradient_accumulation, load_config  # noqa: E402
from pluralscope_bundle.data import (  # noqa: E402
    BundleDataError,
    check_disjoint,
    check_weight_mean,
    load_manifest,
    load_records,
    verify_files,
)
from pluralscope_bundle.weights import check_manifest_tiers  # noqa: E402

DEFAULT_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="configs/<method>.yaml")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value, e.g. --set trainer.learning_rate=1e-5 (repeatable)")
    parser.add_argument("--bundle-root", default=HERE, help="folder holding manifest.json and data/ (default: this script's folder)")
    parser.add_argument("--skip-hash-check", action="store_true", help="do not compare data files with the manifest's sha256")
    parser.add_argument("--dry-run", action="store_true", help="validate manifest, config and data, print the plan, and exit (needs no torch)")
    return parser.parse_args(argv)


def _resolve(root: str, path: str | None) -> str | None:
    if path is None:
        return None
    return path if os.path.isabs(path) else os.path.join(root, path)


def _world_size() -> int:
    # `accelerate launch` (and torchrun) export WORLD_SIZE to every process.
    return int(os.environ.get("WORLD_SIZE", "1"))


def _nodes(world: int) -> int:
    # torchrun (under `accelerate launch`) exports LOCAL_WORLD_SIZE, the processes on this machine.
    local = int(os.environ.get("LOCAL_WORLD_SIZE", str(world)))
    return max(1, world // max(1, local))


def prepare(args) -> dict:
    """Everything that needs no torch: config, manifest, data checks, batch arithmetic."""
    root = os.path.abspath(args.bundle_root)
    # The config path may be relative to the working directory, this script's folder or the bundle root.
    candidates = [_resolve(base, args.config) for base in (os.getcwd(), HERE, root)]
    config_path = next((c for c in candidates if os.path.isfile(c)), candidates[0])
    config = load_config(config_path, args.overrides)
    method = config["method"]
    if method not in METHOD_FORMATS:
        raise ValueError(f"{config_path}: method must be one of {sorted(METHOD_FORMATS)}, got {method!r}")
    fmt = METHOD_FORMATS[method]
    notes: list[str] = []

    manifest = load_manifest(os.path.join(root, "manifest.json"))
    if manifest["method"] != method:
        # Allowed when the data carries what the config's method needs (e.g. sft on a wsft bundle);
        # the data validation below fails otherwise, naming the missing field.
        notes.append(f"config method {method!r} differs from the bundle's method {manifest['method']!r}")
    if not args.skip_hash_check:
        verify_files(manifest, root)

    data_cfg = config["data"]
    train_path = _resolve(root, data_cfg.get("train", "data/train.jsonl"))
    eval_path = _resolve(root, data_cfg.get("eval", "data/eval.jsonl"))
    benchmark_path = _resolve(root, data_cfg.get("benchmark", "data/benchmark_items.jsonl"))
    train = load_records(train_path, fmt)
    # Eval lines of weighted methods may carry weights (then the eval loss is weighted too) or not.
    eval_fmt = {"wsft": "sft", "wdpo": "dpo"}.get(fmt, fmt)
    evaluation = load_records(eval_path, eval_fmt, allow_empty=True) if eval_path and os.path.isfile(eval_path) else []
    if fmt in ("wsft", "wdpo"):
        check_weight_mean(train, train_path)
        if isinstance(manifest.get("tiers"), dict):
            notes.extend(f"tier check: {p}" for p in check_manifest_tiers(train, manifest["tiers"]))
    if benchmark_path and os.path.isfile(benchmark_path):
        check_disjoint(train, load_records(benchmark_path, "benchmark", allow_empty=True), train_path, benchmark_path)

    model_cfg = config["model"]
    model_id = model_cfg.get("name_or_path") or manifest["base_model"]
    world = _world_size()
    batch = config["batch"]
    per_device = int(batch.get("per_device_train_batch_size", 1))
    trainer_kwargs = dict(config["trainer"])
    if method == "grpo":
        # GRPO counts completions per device; the paper's global batch counts prompts.
        generations = int(trainer_kwargs.get("num_generations", 8))
        global_batch = int(batch["global_train_batch_size"]) * generations
    else:
        global_batch = int(batch["global_train_batch_size"])
    grad_accum = gradient_accumulation(global_batch, per_device, world)

    output_dir = _resolve(root, config.get("output_dir") or f"outputs/{method}")
    trainer_kwargs.update(
        output_dir=output_dir,
        per_device_train_batch_size=per_device,
        per_device_eval_batch_size=int(batch.get("per_device_eval_batch_size", per_device)),
        gradient_accumulation_steps=grad_accum,
    )
    trainer_kwargs.setdefault("seed", int(manifest.get("split_seed", 42)))
    model_init_kwargs = {"dtype": model_cfg.get("dtype", "bfloat16")}
    if model_cfg.get("attn_implementation"):
        model_init_kwargs["attn_implementation"] = model_cfg["attn_implementation"]
    if world > 1:
        model_init_kwargs["device_map"] = None  # TRL's default "auto" is for one process only
    elif model_cfg.get("device_map") is not None:
        model_init_kwargs["device_map"] = model_cfg["device_map"]
    trainer_kwargs["model_init_kwargs"] = model_init_kwargs
    if not evaluation:
        trainer_kwargs["eval_strategy"] = "no"
        notes.append("no eval data: evaluation during training is off")
    if fmt in ("sft", "wsft"):
        trainer_kwargs["completion_only_loss"] = True  # loss on the assistant answer only
    if method == "wsft":
        trainer_kwargs["loss_type"] = "nll"  # the weighted loss needs the logits (see weighted.py)
    if method == "grpo":
        format_weight = float(config.get("reward", {}).get("format_weight", 0.1))
        trainer_kwargs["reward_weights"] = [1.0, format_weight]

    peft_cfg = config["peft"]
    peft_kwargs = None
    if peft_cfg.get("enabled", True):
        peft_kwargs = {
            "r": int(peft_cfg.get("r", 16)),
            "lora_alpha": int(peft_cfg.get("lora_alpha", 32)),
            "lora_dropout": float(peft_cfg.get("lora_dropout", 0.05)),
            "target_modules": peft_cfg.get("target_modules") or DEFAULT_TARGET_MODULES,
            "bias": peft_cfg.get("bias", "none"),
            "task_type": "CAUSAL_LM",
        }

    return {
        "root": root,
        "config_path": config_path,
        "config": config,
        "method": method,
        "format": fmt,
        "manifest": manifest,
        "model_id": model_id,
        "train_path": train_path,
        "eval_path": eval_path if evaluation else None,
        "counts": {"train": len(train), "eval": len(evaluation)},
        "world_size": world,
        "nodes": _nodes(world),
        "global_batch": global_batch,
        "trainer_kwargs": trainer_kwargs,
        "peft_kwargs": peft_kwargs,
        "notes": notes,
    }


def _versions() -> dict:
    import importlib.metadata as md

    versions = {"python": platform.python_version(), "pluralscope-bundle": __version__}
    for name in ("torch", "transformers", "trl", "peft", "accelerate", "datasets", "deepspeed"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return versions


def run(plan: dict) -> dict:
    # Imported here so that --dry-run (and the unit tests) need none of them.
    import datasets
    from transformers import AutoTokenizer, set_seed

    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    method = plan["method"]
    kwargs = dict(plan["trainer_kwargs"])
    # TRL's trainers load the model and add the LoRA adapter (random A matrices) before
    # transformers' Trainer seeds anything: seed first, or two runs of one bundle differ.
    set_seed(int(kwargs["seed"]))
    started = _dt.datetime.now(_dt.timezone.utc)

    tokenizer = AutoTokenizer.from_pretrained(plan["model_id"], trust_remote_code=bool(kwargs.get("trust_remote_code", False)))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if tokenizer.chat_template is None:
        raise SystemExit(f"{plan['model_id']}: the tokenizer has no chat template; the bundle's data is conversational. Use an instruct model.")

    files = {"train": plan["train_path"]}
    if plan["eval_path"]:
        files["eval"] = plan["eval_path"]
    data = datasets.load_dataset("json", data_files=files)
    train_dataset = data["train"]
    eval_dataset = data["eval"] if "eval" in data else None

    peft_config = None
    if plan["peft_kwargs"] is not None:
        from peft import LoraConfig

        peft_config = LoraConfig(**plan["peft_kwargs"])

    common = dict(model=plan["model_id"], train_dataset=train_dataset, processing_class=tokenizer, peft_config=peft_config)
    if method in ("sft", "lora-sft", "wsft"):
        from trl import SFTConfig, SFTTrainer

        args = SFTConfig(**kwargs)
        if method == "wsft":
            from pluralscope_bundle.weighted import WeightedLanguageModelingCollator, WeightedSFTTrainer

            collator = WeightedLanguageModelingCollator(pad_token_id=tokenizer.pad_token_id, pad_to_multiple_of=args.pad_to_multiple_of)
            trainer = WeightedSFTTrainer(args=args, eval_dataset=eval_dataset, data_collator=collator, **common)
        else:
            trainer = SFTTrainer(args=args, eval_dataset=eval_dataset, **common)
    elif method in ("dpo", "wdpo"):
        from trl import DPOConfig, DPOTrainer

        args = DPOConfig(**kwargs)
        if method == "wdpo":
            from pluralscope_bundle.weighted import WeightedDPOTrainer, WeightedPreferenceCollator

            collator = WeightedPreferenceCollator(
                pad_token_id=tokenizer.pad_token_id,
                max_length=args.max_length,
                truncation_mode=args.truncation_mode,
                pad_to_multiple_of=args.pad_to_multiple_of,
            )
            trainer = WeightedDPOTrainer(args=args, eval_dataset=eval_dataset, data_collator=collator, **common)
        else:
            trainer = DPOTrainer(args=args, eval_dataset=eval_dataset, **common)
    elif method == "grpo":
        from trl import GRPOConfig, GRPOTrainer

        from pluralscope_bundle.rewards import answer_correct_reward, answer_format_reward

        args = GRPOConfig(**kwargs)
        use_eval = eval_dataset if args.eval_strategy != "no" else None
        trainer = GRPOTrainer(reward_funcs=[answer_correct_reward, answer_format_reward], args=args, eval_dataset=use_eval, **common)
    else:  # prepare() already rejects unknown methods
        raise ValueError(method)

    t0 = time.time()
    result = trainer.train()
    seconds = time.time() - t0
    final_dir = os.path.join(args.output_dir, "final")
    trainer.save_model(final_dir)
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(final_dir)

    summary = {
        "format": "pluralscope.training-summary",
        "version": 1,
        "method": method,
        "trainer": type(trainer).__name__,
        "base_model": plan["model_id"],
        "adapter": plan["peft_kwargs"] is not None,
        "output": os.path.relpath(final_dir, plan["root"]),
        "bundle": {k: plan["manifest"].get(k) for k in ("app_version", "suite", "target", "method", "split_seed", "split", "created_at")},
        "config": plan["config"],
        "resolved": {
            "world_size": plan["world_size"],
            "nodes": plan["nodes"],
            "global_batch": plan["global_batch"],
            "per_device_train_batch_size": kwargs["per_device_train_batch_size"],
            "gradient_accumulation_steps": kwargs["gradient_accumulation_steps"],
            "lora": plan["peft_kwargs"],
        },
        "data": plan["counts"],
        "weighting": _weighting_note(method),
        "metrics": result.metrics,
        "global_step": trainer.state.global_step,
        "log_history": trainer.state.log_history,
        "seconds": round(seconds, 3),
        "started_at": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "finished_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "versions": _versions(),
        "notes": plan["notes"],
    }
    if trainer.is_world_process_zero():
        with open(os.path.join(args.output_dir, "training_summary.json"), "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2, default=str)
        print(f"saved {final_dir} and {os.path.join(args.output_dir, 'training_summary.json')}")
    return summary


def _weighting_note(method: str) -> str | None:
    if method == "wsft":
        return "loss = mean over the batch of weight_i * (mean NLL over example i's completion tokens)"
    if method == "wdpo":
        return "loss = mean over the batch of weight_i * DPO sigmoid loss of pair i"
    return None


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        plan = prepare(args)
    except (BundleDataError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for note in plan["notes"]:
        print(f"note: {note}", file=sys.stderr)
    if args.dry_run:
        shown = {k: v for k, v in plan.items() if k not in ("manifest", "config")}
        print(json.dumps(shown, indent=2, default=str))
        return 0
    run(plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
