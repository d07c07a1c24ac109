"""Loading and validating the bundle's data files (stdlib only).

Every error names the file, the 1-based line number and the field, e.g.
``data/train.jsonl:12: field 'completion[0].role' must be 'assistant', got 'user'``, so a bad
bundle fails before any GPU time is spent.

Formats (TRL's conversational formats; see the bundle README):

* ``sft`` (sft, lora-sft): ``{"id", "prompt": [messages], "completion": [assistant message]}``
* ``wsft``: sft plus ``"weight"`` (float > 0, mean 1 over train) and ``"tier"`` (int 1..7)
* ``dpo``: ``{"id", "prompt", "chosen": [assistant message], "rejected": [assistant message]}``
* ``wdpo``: dpo plus ``"weight"`` and ``"tier"``
* ``grpo``: ``{"id", "prompt", "answer", "answer_label", "options", "frequency"?}``
* benchmark items: ``{"id", "options", "fixed_tail", "meta", "refs", "prompts": [...]}``
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import string
from typing import Any, Callable, Iterator

from . import BUNDLE_FORMAT, BUNDLE_VERSION, METHOD_FORMATS

LABELS = tuple(string.ascii_uppercase)
ROLES = ("system", "user", "assistant")
# The tolerance on "weights are scaled so their mean over train is 1".
WEIGHT_MEAN_TOLERANCE = 1e-3


class BundleDataError(ValueError):
    """A data file does not follow the bundle contract. The message names file, line and field."""


def _where(path: str, lineno: int | None) -> str:
    return f"{path}:{lineno}" if lineno is not None else path


def _fail(path: str, lineno: int | None, message: str) -> BundleDataError:
    return BundleDataError(f"{_where(path, lineno)}: {message}")


def _is_number(value: Any) -> bool:
    # bool is a subclass of int in Python: reject it explicitly.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def iter_jsonl(path: str) -> Iterator[tuple[int, dict]]:
    """Yields (line number, object) for each line. Blank lines are errors, except at the end."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    while lines and lines[-1].strip() == "":
        lines.pop()
    for index, line in enumerate(lines, start=1):
        if line.strip() == "":
            raise _fail(path, index, "empty line (one JSON object per line expected)")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, index, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
        if not isinstance(value, dict):
            raise _fail(path, index, f"expected a JSON object, got {type(value).__name__}")
        yield index, value


# --- field checks -------------------------------------------------------------------------

def _require(obj: dict, key: str, path: str, lineno: int) -> Any:
    if key not in obj:
        raise _fail(path, lineno, f"missing field '{key}'")
    return obj[key]


def _check_id(obj: dict, path: str, lineno: int) -> str:
    value = _require(obj, "id", path, lineno)
    if not isinstance(value, str) or not value:
        raise _fail(path, lineno, "field 'id' must be a non-empty string")
    return value


def _check_message(message: Any, field: str, path: str, lineno: int) -> dict:
    if not isinstance(message, dict):
        raise _fail(path, lineno, f"field '{field}' must be an object with 'role' and 'content'")
    role = message.get("role")
    if role not in ROLES:
        raise _fail(path, lineno, f"field '{field}.role' must be one of {list(ROLES)}, got {role!r}")
    content = message.get("content")
    if not isinstance(content, str):
        raise _fail(path, lineno, f"field '{field}.content' must be a string, got {type(content).__name__}")
    extra = set(message) - {"role", "content"}
    if extra:
        raise _fail(path, lineno, f"field '{field}' has unexpected keys {sorted(extra)}")
    return message


def check_prompt(obj: dict, path: str, lineno: int, field: str = "prompt", key: str | None = None) -> list:
    """A prompt: an optional system message first, further turns, ending on a user turn.

    ``key`` is the key read from ``obj`` (default: ``field``); ``field`` is the name used in errors.
    """
    prompt = _require(obj, key or field, path, lineno)
    if not isinstance(prompt, list) or not prompt:
        raise _fail(path, lineno, f"field '{field}' must be a non-empty list of messages")
    for i, message in enumerate(prompt):
        _check_message(message, f"{field}[{i}]", path, lineno)
        if message["role"] == "system" and i != 0:
            raise _fail(path, lineno, f"field '{field}[{i}].role': a system message may only come first")
    if prompt[-1]["role"] != "user":
        raise _fail(path, lineno, f"field '{field}[{len(prompt) - 1}].role' must be 'user' (the prompt ends on the user turn)")
    if not prompt[-1]["content"].strip():
        raise _fail(path, lineno, f"field '{field}[{len(prompt) - 1}].content' is empty")
    return prompt


def _check_assistant(obj: dict, field: str, path: str, lineno: int) -> str:
    value = _require(obj, field, path, lineno)
    if not isinstance(value, list) or len(value) != 1:
        raise _fail(path, lineno, f"field '{field}' must be a list of exactly one assistant message")
    message = _check_message(value[0], f"{field}[0]", path, lineno)
    if message["role"] != "assistant":
        raise _fail(path, lineno, f"field '{field}[0].role' must be 'assistant', got {message['role']!r}")
    if not message["content"].strip():
        raise _fail(path, lineno, f"field '{field}[0].content' is empty")
    return message["content"]


def _check_weight_tier(obj: dict, path: str, lineno: int, required: bool) -> None:
    if "weight" in obj or required:
        weight = _require(obj, "weight", path, lineno)
        if not _is_number(weight) or weight <= 0:
            raise _fail(path, lineno, f"field 'weight' must be a finite number > 0, got {weight!r}")
    if "tier" in obj or required:
        tier = _require(obj, "tier", path, lineno)
        if not _is_int(tier) or not 1 <= tier <= 7:
            raise _fail(path, lineno, f"field 'tier' must be an integer 1..7, got {tier!r}")


def validate_sft(obj: dict, path: str, lineno: int, weighted: bool = False) -> None:
    _check_id(obj, path, lineno)
    check_prompt(obj, path, lineno)
    _check_assistant(obj, "completion", path, lineno)
    _check_weight_tier(obj, path, lineno, required=weighted)


def validate_dpo(obj: dict, path: str, lineno: int, weighted: bool = False) -> None:
    _check_id(obj, path, lineno)
    check_prompt(obj, path, lineno)
    chosen = _check_assistant(obj, "chosen", path, lineno)
    rejected = _check_assistant(obj, "rejected", path, lineno)
    if chosen == rejected:
        raise _fail(path, lineno, "fields 'chosen' and 'rejected' have the same content")
    _check_weight_tier(obj, path, lineno, required=weighted)


def validate_grpo(obj: dict, path: str, lineno: int) -> None:
    _check_id(obj, path, lineno)
    check_prompt(obj, path, lineno)
    options = _require(obj, "options", path, lineno)
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) and o for o in options):
        raise _fail(path, lineno, "field 'options' must be a list of at least 2 non-empty strings")
    if len(options) > len(LABELS):
        raise _fail(path, lineno, f"field 'options' has {len(options)} options; at most {len(LABELS)} can be labelled")
    answer = _require(obj, "answer", path, lineno)
    if not isinstance(answer, str) or answer not in options:
        raise _fail(path, lineno, f"field 'answer' must be one of 'options', got {answer!r}")
    label = _require(obj, "answer_label", path, lineno)
    if not isinstance(label, str) or label not in LABELS[: len(options)]:
        raise _fail(path, lineno, f"field 'answer_label' must be one of {list(LABELS[:len(options)])}, got {label!r}")
    if options[LABELS.index(label)] != answer:
        raise _fail(path, lineno, f"field 'answer_label' {label!r} labels {options[LABELS.index(label)]!r}, not the answer {answer!r}")
    if "frequency" in obj and obj["frequency"] is not None:
        frequency = obj["frequency"]
        if not _is_number(frequency) or not 0 < frequency <= 1:
            raise _fail(path, lineno, f"field 'frequency' must be a number in (0, 1], got {frequency!r}")


def validate_benchmark_item(obj: dict, path: str, lineno: int) -> None:
    _check_id(obj, path, lineno)
    options = _require(obj, "options", path, lineno)
    if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
        raise _fail(path, lineno, "field 'options' must be a non-empty list of strings")
    if len(options) > len(LABELS):
        raise _fail(path, lineno, f"field 'options' has {len(options)} options; at most {len(LABELS)} can be labelled")
    fixed_tail = _require(obj, "fixed_tail", path, lineno)
    if not _is_int(fixed_tail) or not 0 <= fixed_tail <= len(options):
        raise _fail(path, lineno, f"field 'fixed_tail' must be an integer in 0..{len(options)}, got {fixed_tail!r}")
    meta = _require(obj, "meta", path, lineno)
    if not isinstance(meta, dict):
        raise _fail(path, lineno, "field 'meta' must be an object")
    for key, value in meta.items():
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise _fail(path, lineno, f"field 'meta.{key}' must be a string, number, boolean or null")
    refs = _require(obj, "refs", path, lineno)
    if not isinstance(refs, dict):
        raise _fail(path, lineno, "field 'refs' must be an object")
    prompts = _require(obj, "prompts", path, lineno)
    if not isinstance(prompts, list) or not prompts:
        raise _fail(path, lineno, "field 'prompts' must be a non-empty list")
    n = len(options)
    for p, prompt in enumerate(prompts):
        field = f"prompts[{p}]"
        if not isinstance(prompt, dict):
            raise _fail(path, lineno, f"field '{field}' must be an object")
        order = prompt.get("order")
        if not isinstance(order, list) or sorted(order) != list(range(n)) or not all(_is_int(i) for i in order):
            raise _fail(path, lineno, f"field '{field}.order' must be a permutation of 0..{n - 1}, got {order!r}")
        labels = prompt.get("labels")
        if labels != list(LABELS[:n]):
            raise _fail(path, lineno, f"field '{field}.labels' must be {list(LABELS[:n])}, got {labels!r}")
        check_prompt(prompt, path, lineno, field=f"{field}.messages", key="messages")


VALIDATORS: dict[str, Callable[[dict, str, int], None]] = {
    "sft": lambda o, p, n: validate_sft(o, p, n, weighted=False),
    "wsft": lambda o, p, n: validate_sft(o, p, n, weighted=True),
    "dpo": lambda o, p, n: validate_dpo(o, p, n, weighted=False),
    "wdpo": lambda o, p, n: validate_dpo(o, p, n, weighted=True),
    "grpo": validate_grpo,
    "benchmark": validate_benchmark_item,
}


def load_records(path: str, fmt: str, *, allow_empty: bool = False) -> list[dict]:
    """Loads and validates a whole JSONL file in the given format; ids must be unique."""
    if fmt not in VALIDATORS:
        raise ValueError(f"unknown data format {fmt!r}; expected one of {sorted(VALIDATORS)}")
    if not os.path.isfile(path):
        raise BundleDataError(f"{path}: file not found")
    validate = VALIDATORS[fmt]
    records: list[dict] = []
    seen: dict[str, int] = {}
    for lineno, obj in iter_jsonl(path):
        validate(obj, path, lineno)
        if obj["id"] in seen:
            raise _fail(path, lineno, f"field 'id': duplicate id {obj['id']!r} (first on line {seen[obj['id']]})")
        seen[obj["id"]] = lineno
        records.append(obj)
    if not records and not allow_empty:
        raise BundleDataError(f"{path}: no records")
    return records


def check_weight_mean(records: list[dict], path: str, tolerance: float = WEIGHT_MEAN_TOLERANCE) -> float:
    """Train weights must already be scaled so their mean is 1 (SPEC section 4). Returns the mean."""
    weights = [r["weight"] for r in records]
    mean = sum(weights) / len(weights)
    if abs(mean - 1.0) > tolerance:
        raise BundleDataError(f"{path}: the mean of field 'weight' over the training set is {mean:.6f}, expected 1 (±{tolerance})")
    return mean


def check_disjoint(train: list[dict], benchmark: list[dict], train_path: str, benchmark_path: str) -> None:
    """The benchmark never overlaps train (by item id)."""
    overlap = {r["id"] for r in train} & {r["id"] for r in benchmark}
    if overlap:
        sample = sorted(overlap)[:5]
        raise BundleDataError(f"{benchmark_path}: {len(overlap)} benchmark ids also occur in {train_path}, e.g. {sample}")


# --- manifest ------------------------------------------------------------------------------

def sha256_file(path: str, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


def load_manifest(path: str) -> dict:
    if not os.path.isfile(path):
        raise BundleDataError(f"{path}: file not found (run from the unzipped bundle, or pass --bundle-root)")
    with open(path, encoding="utf-8") as handle:
        try:
            manifest = json.load(handle)
        except json.JSONDecodeError as exc:
            raise BundleDataError(f"{path}: invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(manifest, dict):
        raise BundleDataError(f"{path}: expected a JSON object")
    if manifest.get("format") != BUNDLE_FORMAT:
        raise BundleDataError(f"{path}: field 'format' must be {BUNDLE_FORMAT!r}, got {manifest.get('format')!r}")
    if manifest.get("version") != BUNDLE_VERSION:
        raise BundleDataError(f"{path}: field 'version' must be {BUNDLE_VERSION}, got {manifest.get('version')!r}; this template reads version {BUNDLE_VERSION}")
    for key in ("suite", "target", "method", "base_model", "split_seed", "split", "files"):
        if key not in manifest:
            raise BundleDataError(f"{path}: missing field '{key}'")
    if manifest["method"] not in METHOD_FORMATS:
        raise BundleDataError(f"{path}: field 'method' must be one of {sorted(METHOD_FORMATS)}, got {manifest['method']!r}")
    if not isinstance(manifest["base_model"], str) or not manifest["base_model"]:
        raise BundleDataError(f"{path}: field 'base_model' must be a non-empty string")
    if not isinstance(manifest["files"], dict):
        raise BundleDataError(f"{path}: field 'files' must be an object of path -> sha256")
    if manifest["method"] in ("wsft", "wdpo") and not isinstance(manifest.get("tiers"), dict):
        raise BundleDataError(f"{path}: field 'tiers' is required for weighted methods")
    return manifest


def verify_files(manifest: dict, root: str) -> list[str]:
    """Checks every file listed in the manifest against its sha256. Returns the checked paths."""
    checked = []
    for rel, expected in sorted(manifest["files"].items()):
        full = os.path.join(root, rel)
        if not os.path.isfile(full):
            raise BundleDataError(f"manifest.json: field 'files.{rel}': file {full} not found")
        actual = sha256_file(full)
        if not isinstance(expected, str) or actual != expected.lower():
            raise BundleDataError(f"manifest.json: field 'files.{rel}': sha256 {actual} does not match the manifest's {expected!r} (the file was changed after the bundle was built)")
        checked.append(rel)
    return checked
