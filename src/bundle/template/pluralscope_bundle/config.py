"""Training configs: ``configs/<method>.yaml`` plus ``--set key=value`` overrides.

Keys are dotted paths into the YAML (``--set trainer.learning_rate=1e-5``,
``--set peft.target_modules=[q_proj,v_proj]``, ``--set peft.enabled=false``). Values are parsed
as JSON first, then as int / float / true / false / null, else kept as a string ("no" and
"none" stay strings, as TrainingArguments expects), so
``1e-6`` is a float (PyYAML's YAML 1.1 resolver would read it as a string, which is why the
shipped configs write floats with a dot: ``1.0e-6``).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_LIST = re.compile(r"^\[(.*)\]$", re.DOTALL)


def parse_value(text: str) -> Any:
    """Parses one ``--set`` value."""
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except (json.JSONDecodeError, ValueError):
        pass
    lowered = stripped.lower()
    # Only true/false/null are keywords: "no" stays a string, as TrainingArguments' strategies
    # ("no", "steps", "epoch") and report_to ("none") expect.
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered == "null":
        return None
    if _INT.match(stripped):
        return int(stripped)
    if _FLOAT.match(stripped):
        return float(stripped)
    match = _LIST.match(stripped)
    if match:  # [a, b, c] without quotes
        inner = match.group(1).strip()
        return [parse_value(part) for part in inner.split(",")] if inner else []
    return stripped


def set_path(config: dict, dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    if not all(keys):
        raise ValueError(f"bad key {dotted!r}")
    node = config
    for key in keys[:-1]:
        if key not in node or node[key] is None:
            node[key] = {}
        if not isinstance(node[key], dict):
            raise ValueError(f"--set {dotted}: '{key}' is not a section")
        node = node[key]
    node[keys[-1]] = value


def apply_overrides(config: dict, overrides: list[str]) -> dict:
    result = copy.deepcopy(config)
    for override in overrides or []:
        if "=" not in override:
            raise ValueError(f"--set expects key=value, got {override!r}")
        key, value = override.split("=", 1)
        set_path(result, key.strip(), parse_value(value))
    return result


def load_yaml(path: str) -> dict:
    try:
        import yaml  # PyYAML: a dependency of transformers and accelerate
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise RuntimeError("PyYAML is required to read configs (pip install pyyaml)") from exc
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def load_config(path: str, overrides: list[str] | None = None) -> dict:
    config = apply_overrides(load_yaml(path), overrides or [])
    for section in ("model", "peft", "batch", "data", "trainer"):
        config.setdefault(section, {})
    if "method" not in config:
        raise ValueError(f"{path}: missing 'method'")
    return config


def gradient_accumulation(global_batch: int, per_device: int, world_size: int) -> int:
    """Steps to accumulate so that per_device * world_size * steps == global_batch exactly."""
    if global_batch <= 0 or per_device <= 0 or world_size <= 0:
        raise ValueError("batch sizes and world size must be positive")
    per_step = per_device * world_size
    if global_batch % per_step:
        raise ValueError(
            f"global batch {global_batch} is not a multiple of per_device_train_batch_size {per_device} x "
            f"{world_size} processes; change batch.per_device_train_batch_size (or batch.global_train_batch_size) with --set"
        )
    return global_batch // per_step
