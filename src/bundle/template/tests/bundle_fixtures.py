"""Small, project-made bundle fixtures for the tests (stdlib only).

Importing this module also puts the bundle root (the folder holding train.py) on sys.path, so the
tests run both from the repository root (``python3 -m unittest discover -s src/bundle/template/tests``)
and from an unzipped bundle (``python3 -m unittest discover -s tests``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

SYSTEM = {"role": "system", "content": "You are a member of segment 6."}


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict:
    return {"role": "assistant", "content": text}


def sft_line(i: int, answer: str = "A", weight: float | None = None, tier: int | None = None) -> dict:
    line = {"id": f"q{i}", "prompt": [SYSTEM, user(f"Question {i}?\nA. Yes\nB. No\nC. N/A")], "completion": [assistant(answer)]}
    if weight is not None:
        line["weight"] = weight
    if tier is not None:
        line["tier"] = tier
    return line


def dpo_line(i: int, weight: float | None = None, tier: int | None = None) -> dict:
    line = {"id": f"q{i}", "prompt": [user(f"Question {i}?\nA. Yes\nB. No")], "chosen": [assistant("A")], "rejected": [assistant("B")]}
    if weight is not None:
        line["weight"] = weight
    if tier is not None:
        line["tier"] = tier
    return line


GRPO_OPTIONS = ["Very important", "Rather important", "Not very important", "Not at all important"]


def grpo_line(i: int, gold: int = 1, frequency: float | None = 0.5) -> dict:
    line = {
        "id": f"g{i}",
        "prompt": [user(f"Profile {i}. How important is family?\nOptions: {', '.join(GRPO_OPTIONS)}\nAnswer inside <answer></answer>.")],
        "answer": GRPO_OPTIONS[gold],
        "answer_label": "ABCD"[gold],
        "options": list(GRPO_OPTIONS),
    }
    if frequency is not None:
        line["frequency"] = frequency
    return line


def cyclic_orders(n: int, fixed_tail: int) -> list[list[int]]:
    m = n - fixed_tail
    tail = list(range(m, n))
    return [[(r + i) % m for i in range(m)] + tail for r in range(m)]


def benchmark_item(i: int, options=("Yes", "No", "N/A"), fixed_tail: int = 1, cyclic: bool = True, system: bool = True) -> dict:
    orders = cyclic_orders(len(options), fixed_tail) if cyclic else [list(range(len(options)))]
    labels = list("ABCDEFGHIJ"[: len(options)])
    prompts = []
    for order in orders:
        lines = "\n".join(f"{labels[pos]}. {options[orig]}" for pos, orig in enumerate(order))
        messages = ([SYSTEM] if system else []) + [user(f"Benchmark question {i}?\n{lines}")]
        prompts.append({"order": order, "labels": labels, "messages": messages})
    return {"id": f"b{i}", "options": list(options), "fixed_tail": fixed_tail, "meta": {"dimension": "1", "topic": "food"},
            "refs": {"anchors": {"S6": [0, 1, 0]}}, "prompts": prompts}


def write_jsonl(path: str, lines: list[dict]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line) + "\n")


def sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def write_bundle(root: str, method: str, train: list[dict], evaluation: list[dict], benchmark: list[dict], *,
                 base_model: str = "tiny/random-qwen2", tiers: dict | None = None) -> str:
    """Writes manifest.json, data/*.jsonl and data/run_template.json the way the TS builder does."""
    files = {}
    for name, lines in (("data/train.jsonl", train), ("data/eval.jsonl", evaluation), ("data/benchmark_items.jsonl", benchmark)):
        write_jsonl(os.path.join(root, name), lines)
        files[name] = sha256(os.path.join(root, name))
    with open(os.path.join(FIXTURES, "run_template.json"), encoding="utf-8") as handle:
        template = json.load(handle)
    template_path = os.path.join(root, "data", "run_template.json")
    with open(template_path, "w", encoding="utf-8") as handle:
        json.dump(template, handle)
    files["data/run_template.json"] = sha256(template_path)
    manifest = {
        "format": "pluralscope.bundle", "version": 1, "app_version": "0.1.0", "suite": "fair-pp-local",
        "data_source": {"source": "builtin:fair-pp-local"}, "target": "S6", "method": method, "base_model": base_model,
        "split_seed": 7, "split": {"train": len(train), "eval": len(evaluation), "benchmark": len(benchmark)},
        "files": files, "created_at": "2026-11-20T10:00:00Z",
    }
    if tiers is not None:
        manifest["tiers"] = tiers
    with open(os.path.join(root, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    return root
