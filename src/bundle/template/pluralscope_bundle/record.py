"""Run-record assembly for ``eval_server.py`` (stdlib only).

The record format is the product's (``src/core/record/schema.ts``, format "pluralscope.run",
version 1). Its objects are *strict*: a key the schema does not list makes the product reject the
record, so this module only ever writes the keys listed below. It never writes ``metrics``:
metrics are computed by the product (``pluralscope score`` or the app on import).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import uuid
from typing import Any, Iterable, Sequence

RUN_FORMAT = "pluralscope.run"
RUN_VERSION = 1
PRODUCER_NAME = "pluralscope-eval-server"

# Keys each strict object may carry (mirrors src/core/record/schema.ts).
RECORD_KEYS = {"format", "version", "id", "status", "createdAt", "updatedAt", "finishedAt", "producer", "suite",
               "model", "runtime", "scoring", "sample", "items", "metrics", "events"}
RECORD_REQUIRED = {"format", "version", "id", "status", "createdAt", "updatedAt", "producer", "suite", "model",
                   "runtime", "scoring", "sample", "items"}
ITEM_KEYS = {"id", "meta", "refs", "options", "distribution", "labelMass", "rotations", "raw", "parsed", "invalid", "latencyMs"}
ITEM_REQUIRED = {"id", "meta", "refs", "options", "distribution"}
MODEL_KEYS = {"ref", "kind", "id", "revision", "dtype", "files", "systemRole"}
MODEL_REQUIRED = {"ref", "kind", "id"}
RUNTIME_KEYS = {"device", "deviceReason", "adapter", "libraries", "environment"}
RUNTIME_REQUIRED = {"device", "libraries"}
SCORING_KEYS = {"mode", "order", "seed", "template", "samples", "temperature", "maxNewTokens", "parser", "prefixReuse", "batchSize"}
SCORING_REQUIRED = {"mode", "order", "seed", "template"}
SAMPLE_KEYS = {"strategy", "limit", "seed", "itemSetHash", "total"}
SAMPLE_REQUIRED = {"strategy", "seed", "itemSetHash", "total"}
EVENT_KEYS = {"at", "kind", "message"}
STATUSES = ("running", "paused", "complete", "cancelled", "failed")


def iso_now() -> str:
    """ISO 8601 UTC with milliseconds, e.g. 2026-11-20T10:15:30.123Z."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return f"srv-{uuid.uuid4().hex}"


def item_set_hash(ids: Iterable[str]) -> str:
    """The first 16 hex digits of sha256 of the sorted item ids joined by newlines (as the product's
    itemSetHash in src/core/record/build.ts).

    Used only when the server evaluates a subset (``--limit``) of the bundle's items and must
    describe that subset itself; otherwise the template's hash (computed by the product) is kept.
    """
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:16]


def event(kind: str, message: str, at: str | None = None) -> dict:
    return {"at": at or iso_now(), "kind": kind, "message": message}


def _probability(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"probability {value!r} is not finite")
    return min(1.0, max(0.0, float(value)))


def item_result(item: dict, distribution: Sequence[float] | None, *, label_mass: float | None = None,
                rotations: Sequence[Sequence[float]] | None = None, raw: Sequence[str] | None = None,
                parsed: Sequence[int | None] | None = None, latency_ms: float | None = None) -> dict:
    """One ItemResult. ``distribution`` and ``rotations`` are in the source's option order."""
    result: dict[str, Any] = {
        "id": item["id"],
        "meta": dict(item.get("meta", {})),
        "refs": dict(item.get("refs", {})),
        "options": list(item["options"]),
        "distribution": None if distribution is None else [_probability(p) for p in distribution],
    }
    if result["distribution"] is not None and len(result["distribution"]) != len(result["options"]):
        raise ValueError(f"item {item['id']}: distribution has {len(result['distribution'])} values for {len(result['options'])} options")
    if label_mass is not None:
        result["labelMass"] = min(1.0, max(0.0, float(label_mass)))
    if rotations is not None and len(rotations) > 1:
        result["rotations"] = [[_probability(p) for p in rotation] for rotation in rotations]
    if raw is not None:
        result["raw"] = [str(text) for text in raw]
    if parsed is not None:
        result["parsed"] = [None if p is None else int(p) for p in parsed]
        result["invalid"] = sum(1 for p in parsed if p is None)
    if latency_ms is not None:
        result["latencyMs"] = max(0.0, float(latency_ms))
    return result


def assemble_record(template: dict, items: list[dict], *, model: dict, runtime: dict, producer_version: str,
                    created_at: str, finished_at: str | None, status: str = "complete",
                    scoring_updates: dict | None = None, sample_override: dict | None = None,
                    events: Sequence[dict] = (), run_id: str | None = None) -> dict:
    """Fills ``data/run_template.json`` into a complete run record (no metrics)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    scoring = dict(template["scoring"])
    for key, value in (scoring_updates or {}).items():
        if value is None:
            scoring.pop(key, None)
        else:
            scoring[key] = value
    record: dict[str, Any] = {
        "format": RUN_FORMAT,
        "version": RUN_VERSION,
        "id": run_id or new_run_id(),
        "status": status,
        "createdAt": created_at,
        "updatedAt": finished_at or iso_now(),
        "producer": {"name": PRODUCER_NAME, "version": producer_version},
        "suite": template["suite"],
        "model": {k: v for k, v in model.items() if v is not None},
        "runtime": {k: v for k, v in runtime.items() if v is not None},
        "scoring": scoring,
        "sample": dict(sample_override) if sample_override else dict(template["sample"]),
        "items": items,
        "events": list(template.get("events", [])) + list(events),
    }
    if finished_at:
        record["finishedAt"] = finished_at
    problems = check_record(record)
    if problems:
        raise ValueError("the assembled run record does not follow the schema: " + "; ".join(problems))
    return record


def _check_keys(obj: Any, where: str, allowed: set, required: set, problems: list[str]) -> None:
    if not isinstance(obj, dict):
        problems.append(f"{where} must be an object")
        return
    missing = required - set(obj)
    extra = set(obj) - allowed
    if missing:
        problems.append(f"{where} lacks {sorted(missing)}")
    if extra:
        problems.append(f"{where} has keys the schema does not allow: {sorted(extra)}")


def check_record(record: dict) -> list[str]:
    """A structural check against the schema's strict key sets and main types (not a full validator)."""
    problems: list[str] = []
    _check_keys(record, "record", RECORD_KEYS, RECORD_REQUIRED, problems)
    if problems:
        return problems
    if record["format"] != RUN_FORMAT or record["version"] != RUN_VERSION:
        problems.append("record.format/version must be pluralscope.run / 1")
    if record["status"] not in STATUSES:
        problems.append(f"record.status must be one of {STATUSES}")
    _check_keys(record["producer"], "producer", {"name", "version"}, {"name", "version"}, problems)
    _check_keys(record["model"], "model", MODEL_KEYS, MODEL_REQUIRED, problems)
    if isinstance(record["model"], dict) and record["model"].get("kind") not in ("hub", "folder", "synthetic", "endpoint", "baseline", "server"):
        problems.append("model.kind is not one of the schema's kinds")
    _check_keys(record["runtime"], "runtime", RUNTIME_KEYS, RUNTIME_REQUIRED, problems)
    if isinstance(record["runtime"], dict) and not all(isinstance(v, str) for v in record["runtime"].get("libraries", {}).values()):
        problems.append("runtime.libraries values must be strings")
    _check_keys(record["scoring"], "scoring", SCORING_KEYS, SCORING_REQUIRED, problems)
    if isinstance(record["scoring"], dict) and record["scoring"].get("mode") not in ("likelihood", "generate"):
        problems.append("scoring.mode must be 'likelihood' or 'generate'")
    _check_keys(record["sample"], "sample", SAMPLE_KEYS, SAMPLE_REQUIRED, problems)
    for i, entry in enumerate(record.get("events", [])):
        _check_keys(entry, f"events[{i}]", EVENT_KEYS, EVENT_KEYS, problems)
    for i, item in enumerate(record["items"]):
        _check_keys(item, f"items[{i}]", ITEM_KEYS, ITEM_REQUIRED, problems)
        if not isinstance(item, dict):
            continue
        dist = item.get("distribution")
        if dist is not None and (not isinstance(dist, list) or not all(isinstance(p, (int, float)) and 0 <= p <= 1 for p in dist)):
            problems.append(f"items[{i}].distribution must be null or a list of probabilities")
        if "labelMass" in item and not 0 <= item["labelMass"] <= 1.000001:
            problems.append(f"items[{i}].labelMass out of [0, 1]")
    return problems
