"""Helpers for smoke_test.sh (needs torch, transformers, tokenizers; no network).

    python tests/smoke_setup.py model DIR            # a tiny random Qwen2 + a byte-level BPE tokenizer
    python tests/smoke_setup.py bundle DIR METHOD MODEL_DIR
    python tests/smoke_setup.py compare A.json B.json  # two run records: same distributions?
    python tests/smoke_setup.py differ A.json B.json   # ... or visibly different ones?
    python tests/smoke_setup.py check RECORD.json      # the record follows the schema's keys
    python tests/smoke_setup.py verl-check FOLDER      # verl/to_parquet.py's output, read and scored as VeRL would
    python tests/smoke_setup.py same-training ONE.json MANY.json NODES   # 1 process vs DDP on NODES machines: the same losses?
    python tests/smoke_setup.py accelerate-configs    # (in the bundle folder) accelerate's launcher reads each accelerate/*.yaml as meant
    python tests/smoke_setup.py trained METHOD SUMMARY.json   # two steps ran, and the method's loss is what it says
"""

from __future__ import annotations

import json
import math
import os
import sys

import bundle_fixtures as fx

CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def make_model(out: str) -> None:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GenerationConfig, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    # A corpus where " A", " B", ... are frequent, so the BPE learns them as single tokens.
    corpus = []
    for i in range(200):
        corpus.append(f"Question {i}? A. Yes B. No C. N/A D. Maybe answer A B C D <answer>B</answer>")
        corpus.append(" ".join(fx.GRPO_OPTIONS) + " user assistant system segment profile important")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = CHAT_TEMPLATE
    for label in "ABCD":
        for variant in (label, " " + label):
            assert len(fast.encode(variant, add_special_tokens=False)) == 1, f"{variant!r} is not one token"
    fast.save_pretrained(out)

    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                         tie_word_embeddings=True, eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id,
                         bos_token_id=None)
    model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id)
    model.save_pretrained(out)
    print(f"tiny model in {out}")


def make_bundle(root: str, method: str, model_dir: str) -> None:
    from pluralscope_bundle.weights import sample_weights, tier_weights

    benchmark = [fx.benchmark_item(100 + i) for i in range(2)]
    if method in ("sft", "lora-sft"):
        train, evaluation = [fx.sft_line(i, "AB"[i % 2]) for i in range(8)], [fx.sft_line(50), fx.sft_line(51, "B")]
        fx.write_bundle(root, method, train, evaluation, benchmark, base_model=model_dir)
    elif method == "wsft":
        tiers = [1, 1, 2, 3, 5, 7, 7, 4]
        train = [fx.sft_line(i, "AB"[i % 2], weight=w, tier=t) for i, (t, w) in enumerate(zip(tiers, sample_weights(tiers)))]
        evaluation = [fx.sft_line(50, weight=1.0, tier=1), fx.sft_line(51, "B", weight=1.0, tier=7)]
        counts = {t: tiers.count(t) for t in set(tiers)}
        raw = tier_weights(counts)
        fx.write_bundle(root, method, train, evaluation, benchmark, base_model=model_dir,
                        tiers={str(t): {"count": n, "weight": raw[t]} for t, n in counts.items()})
    elif method == "dpo":
        fx.write_bundle(root, method, [fx.dpo_line(i) for i in range(8)], [fx.dpo_line(50), fx.dpo_line(51)], benchmark, base_model=model_dir)
    elif method == "wdpo":
        tiers = [1, 2, 2, 3, 5, 7, 6, 4]
        train = [fx.dpo_line(i, weight=w, tier=t) for i, (t, w) in enumerate(zip(tiers, sample_weights(tiers)))]
        counts = {t: tiers.count(t) for t in set(tiers)}
        raw = tier_weights(counts)
        fx.write_bundle(root, method, train, [fx.dpo_line(50, weight=1.0, tier=1), fx.dpo_line(51, weight=1.0, tier=2)], benchmark,
                        base_model=model_dir, tiers={str(t): {"count": n, "weight": raw[t]} for t, n in counts.items()})
    elif method == "grpo":
        fx.write_bundle(root, method, [fx.grpo_line(i, gold=i % 4) for i in range(8)], [fx.grpo_line(50)], benchmark, base_model=model_dir)
    else:
        raise SystemExit(f"unknown method {method}")


def _read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def compare(a: str, b: str, tolerance: float = 1e-4) -> None:
    first, second = _read_json(a), _read_json(b)
    for x, y in zip(first["items"], second["items"]):
        for p, q in zip(x["distribution"], y["distribution"]):
            if abs(p - q) > tolerance:
                raise SystemExit(f"item {x['id']}: {x['distribution']} != {y['distribution']}")
        if abs(x["labelMass"] - y["labelMass"]) > tolerance:
            raise SystemExit(f"item {x['id']}: label mass {x['labelMass']} != {y['labelMass']}")
    print(f"same distributions in {os.path.basename(a)} and {os.path.basename(b)}")


def differ(a: str, b: str, at_least: float = 1e-3) -> None:
    """The opposite of compare: some option probability moved by at least ``at_least``."""
    first, second = _read_json(a), _read_json(b)
    moved = max(abs(p - q) for x, y in zip(first["items"], second["items"]) for p, q in zip(x["distribution"], y["distribution"]))
    if moved < at_least:
        raise SystemExit(f"{os.path.basename(a)} and {os.path.basename(b)} differ by {moved:.2e} at most (< {at_least})")
    print(f"{os.path.basename(a)} and {os.path.basename(b)} differ (largest change {moved:.4f})")


def verl_check(folder: str) -> None:
    """verl/to_parquet.py's files, read as VeRL reads them (datasets' parquet loader), score their
    gold answers with verl/reward.py's compute_score: 1 + the format bonus for each row."""
    import importlib.util

    from datasets import load_dataset

    spec = importlib.util.spec_from_file_location("bundle_verl_reward", os.path.join(fx.ROOT, "verl", "reward.py"))
    reward = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reward)
    for split in ("train", "val"):
        rows = load_dataset("parquet", data_files=os.path.join(folder, f"{split}.parquet"))["train"]
        if len(rows) == 0 or set(rows.column_names) != {"data_source", "prompt", "ability", "reward_model", "extra_info"}:
            raise SystemExit(f"{split}.parquet: {len(rows)} rows, columns {rows.column_names}")
        for row in rows:
            gold = row["reward_model"]["ground_truth"]
            right = reward.compute_score(row["data_source"], f"<answer>{gold}</answer>", gold, row["extra_info"])
            label = reward.compute_score(row["data_source"], f"<answer>{row['extra_info']['answer_label']}</answer>", gold, row["extra_info"])
            wrong = reward.compute_score(row["data_source"], gold, gold, row["extra_info"])  # no tags
            if right["correct"] != 1.0 or label["correct"] != 1.0 or right["format"] != 1.0 or wrong["score"] != 0.0:
                raise SystemExit(f"{split}.parquet row {row['extra_info']['index']}: {right} / {label} / {wrong}")
        print(f"{split}.parquet: {len(rows)} rows read by datasets, gold answers score {right['score']}")


def same_training(single: str, distributed: str, nodes: str = "1", tolerance: float = 1e-4) -> None:
    """One process with gradient accumulation and N processes without it train on the same global
    batches: every logged loss (train and eval) must agree, so the weights stay a global-batch mean.
    NODES: the machines the N processes were spread over (train.py records it from torchrun's
    LOCAL_WORLD_SIZE), so that a multi-node launch is known to have been one."""
    one, many = _read_json(single), _read_json(distributed)
    worlds = (one["resolved"]["world_size"], many["resolved"]["world_size"])
    if worlds[0] != 1 or worlds[1] < 2:
        raise SystemExit(f"expected world sizes 1 and >= 2, got {worlds}")
    if many["resolved"]["nodes"] != int(nodes):
        raise SystemExit(f"expected {nodes} node(s), the run had {many['resolved']['nodes']}")
    losses = lambda summary: [(e["step"], k, e[k]) for e in summary["log_history"] for k in ("loss", "eval_loss") if k in e]  # noqa: E731
    a, b = losses(one), losses(many)
    if [x[:2] for x in a] != [x[:2] for x in b] or any(abs(x[2] - y[2]) > tolerance for x, y in zip(a, b)):
        raise SystemExit(f"losses differ: 1 process {a}, {worlds[1]} processes {b}")
    accumulation = (one["resolved"]["gradient_accumulation_steps"], many["resolved"]["gradient_accumulation_steps"])
    print(f"same losses on 1 process (accumulation {accumulation[0]}) and {worlds[1]} on {nodes} node(s) "
          f"(accumulation {accumulation[1]}): {[round(x[2], 4) for x in b]}")


# How each accelerate config must be read: the launch arguments the bundle's README gives it, and what
# accelerate's launcher must make of them (which launcher, and the environment it hands the processes).
ACCELERATE_CONFIGS = {
    "cpu.yaml": ([], "simple", {}, {"use_cpu": True, "mixed_precision": "no", "num_processes": 1}),
    "single_gpu.yaml": ([], "simple", {}, {"use_cpu": False, "mixed_precision": "bf16", "num_processes": 1}),
    "multi_gpu.yaml": (["--num_processes", "8"], "multi_gpu", {"ACCELERATE_MIXED_PRECISION": "bf16"}, {"nproc_per_node": "8"}),
    "fsdp2.yaml": (["--num_processes", "8"], "fsdp", {
        "ACCELERATE_USE_FSDP": "true", "FSDP_VERSION": "2", "FSDP_AUTO_WRAP_POLICY": "TRANSFORMER_BASED_WRAP",
        "FSDP_RESHARD_AFTER_FORWARD": "true", "FSDP_STATE_DICT_TYPE": "FULL_STATE_DICT", "FSDP_OFFLOAD_PARAMS": "false",
        "FSDP_ACTIVATION_CHECKPOINTING": "false", "FSDP_CPU_RAM_EFFICIENT_LOADING": "true", "ACCELERATE_MIXED_PRECISION": "bf16",
    }, {"nproc_per_node": "8"}),
    "deepspeed_zero2.yaml": (["--num_processes", "8"], "deepspeed", {
        "ACCELERATE_USE_DEEPSPEED": "true", "ACCELERATE_DEEPSPEED_CONFIG_FILE": "accelerate/ds_zero2.json",
        "ACCELERATE_DEEPSPEED_ZERO3_INIT": "false",
    }, {"nproc_per_node": "8"}),
    "deepspeed_zero3.yaml": (["--num_processes", "8"], "deepspeed", {
        "ACCELERATE_USE_DEEPSPEED": "true", "ACCELERATE_DEEPSPEED_CONFIG_FILE": "accelerate/ds_zero3.json",
        "ACCELERATE_DEEPSPEED_ZERO3_INIT": "true",
    }, {"nproc_per_node": "8"}),
}
# Several machines (the README's and slurm/train.sbatch's arguments): the rank wiring accelerate hands torchrun.
MULTI_NODE = ["--num_processes", "16", "--num_machines", "2", "--machine_rank", "1",
              "--main_process_ip", "10.0.0.1", "--main_process_port", "29555", "--rdzv_backend", "static"]


def _accelerate_launch(config: str, extra: list[str]):
    """accelerate's own parsing of `accelerate launch --config_file CONFIG EXTRA train.py`: the launcher
    it would pick, the environment it would give the processes, and the arguments it hands torchrun."""
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils.launch import prepare_deepspeed_cmd_env, prepare_multi_gpu_env

    # (--num_cpu_threads_per_process: only to keep accelerate from warning that it picked one.)
    args = launch_command_parser().parse_args(["--config_file", config, "--num_cpu_threads_per_process", "1", *extra, "train.py"])
    args, _, _ = _validate_launch_command(args)
    if args.use_deepspeed:
        args.deepspeed_fields_from_accelerate_config = ""
        return "deepspeed", prepare_deepspeed_cmd_env(args)[1], args
    if args.use_fsdp or args.multi_gpu:
        return ("fsdp" if args.use_fsdp else "multi_gpu"), prepare_multi_gpu_env(args), args
    return "simple", {}, args


def accelerate_configs(folder: str = "accelerate") -> None:
    names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
    if names != sorted(ACCELERATE_CONFIGS):
        raise SystemExit(f"{folder}: configs {names}, expected {sorted(ACCELERATE_CONFIGS)}")
    for name, (extra, launcher, env_expected, args_expected) in ACCELERATE_CONFIGS.items():
        got_launcher, env, args = _accelerate_launch(os.path.join(folder, name), extra)
        wrong = [f"launcher {got_launcher}"] if got_launcher != launcher else []
        wrong += [f"{k}={env.get(k)!r} (expected {v!r})" for k, v in env_expected.items() if env.get(k) != v]
        wrong += [f"{k}={getattr(args, k, None)!r} (expected {v!r})" for k, v in args_expected.items() if getattr(args, k, None) != v]
        ds_file = env.get("ACCELERATE_DEEPSPEED_CONFIG_FILE")
        if ds_file:
            stage = _read_json(ds_file)["zero_optimization"]["stage"]
            if f"zero{stage}" not in name:
                wrong.append(f"{ds_file} has ZeRO stage {stage}")
        if wrong:
            raise SystemExit(f"accelerate reads {folder}/{name} differently: " + "; ".join(wrong))
        print(f"{name}: {launcher} launcher, " + (", ".join(f"{k}={v}" for k, v in env_expected.items()) or "one process"))
    for name in ("multi_gpu.yaml", "fsdp2.yaml", "deepspeed_zero3.yaml"):
        _, _, args = _accelerate_launch(os.path.join(folder, name), MULTI_NODE)
        rendezvous = getattr(args, "rdzv_endpoint", None) or f"{getattr(args, 'master_addr', None)}:{getattr(args, 'master_port', None)}"
        got = (args.nproc_per_node, args.nnodes, int(args.node_rank), rendezvous)
        if got != ("8", "2", 1, "10.0.0.1:29555"):
            raise SystemExit(f"{name} on 2 machines: torchrun would get nproc_per_node, nnodes, node_rank, rendezvous = {got}")
    print("on 2 machines x 8 (machine rank 1): torchrun gets 8 processes per node, 2 nodes, node rank 1, rendezvous 10.0.0.1:29555")


def check(path: str) -> None:
    from pluralscope_bundle.record import check_record

    record = _read_json(path)
    problems = check_record(record)
    if problems or record["status"] != "complete" or not record["items"]:
        raise SystemExit(f"{path}: {problems or record['status']}")
    print(f"{path}: {len(record['items'])} items, mode {record['scoring']['mode']}, status {record['status']}")


def trained(method: str, path: str) -> None:
    """Checks a training_summary.json of smoke_test.sh's two steps, per method.

    - every method: two optimizer steps, finite losses;
    - dpo / wdpo: at step 1 the LoRA adapter is still zero (B = 0), so policy = reference and every
      pair's loss is exactly ln 2; WDPO's weighted loss must then be mean_weight x ln 2;
    - wsft: the weights reach the loss: with a random model every example's NLL is nearly the same,
      so the weighted loss is mean_weight x unweighted NLL (within 2%), and the weights are not all 1;
    - grpo: the bundle's two reward functions were called (their metrics are logged).
    The ln 2 checks allow 1e-4 in float32 and 1e-2 in bfloat16 (8 significant bits: ln 2 is 0.6914 there).
    """
    summary = _read_json(path)
    tolerance = 1e-4 if summary["config"]["model"].get("dtype") in (None, "float32") else 1e-2
    steps = [entry for entry in summary["log_history"] if "loss" in entry and "step" in entry]
    if summary["global_step"] != 2 or len(steps) != 2:
        raise SystemExit(f"{method}: expected 2 logged steps, got global_step {summary['global_step']}, {len(steps)} logged")
    if not all(math.isfinite(entry["loss"]) for entry in steps):
        raise SystemExit(f"{method}: non-finite loss {[entry['loss'] for entry in steps]}")
    first = steps[0]
    if method in ("dpo", "wdpo"):
        unweighted = first["unweighted_loss"] if method == "wdpo" else first["loss"]
        if abs(unweighted - math.log(2)) > tolerance:
            raise SystemExit(f"{method}: step 1 pair loss {unweighted}, expected ln 2 (policy = reference)")
    if method == "wdpo":
        if abs(first["loss"] - first["mean_weight"] * math.log(2)) > tolerance:
            raise SystemExit(f"wdpo: step 1 loss {first['loss']} != mean weight {first['mean_weight']} x ln 2")
    if method in ("wsft", "wdpo"):
        if all(abs(entry["mean_weight"] - 1) < 0.01 for entry in steps):
            raise SystemExit(f"{method}: every batch had mean weight 1; the smoke data should vary the weights")
    if method == "wsft":
        for entry in steps:
            expected = entry["mean_weight"] * entry["unweighted_nll"]
            if abs(entry["loss"] - expected) > 0.02 * expected:
                raise SystemExit(f"wsft: step {entry['step']} loss {entry['loss']} is not mean weight x NLL ({expected})")
    if method == "grpo":
        for key in ("rewards/answer_correct_reward/mean", "rewards/answer_format_reward/mean"):
            if key not in first:
                raise SystemExit(f"grpo: {key} not logged: the bundle's reward functions were not used")
    detail = {k: round(first[k], 4) for k in ("mean_weight", "unweighted_loss", "unweighted_nll", "reward") if k in first}
    print(f"steps {summary['global_step']} loss {[round(entry['loss'], 4) for entry in steps]} {detail or ''}".rstrip())


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    {"model": make_model, "bundle": make_bundle, "compare": compare, "differ": differ, "check": check, "verl-check": verl_check, "same-training": same_training, "trained": trained,
     "accelerate-configs": accelerate_configs}[command](*rest)
