#!/usr/bin/env python3
"""Benchmarks a fine-tuned model on ``data/benchmark_items.jsonl`` and writes a Pluralscope run record.

    python eval_server.py --adapter outputs/sft/final                  # base + LoRA adapter
    python eval_server.py --model merged/                              # a merged folder or a Hub id
    python eval_server.py --adapter outputs/grpo/final --mode generate --samples 8 --temperature 0.7

The record (``runs/*.json``) is the product's run-record format (``src/core/record/schema.ts``):
import it in the app, or run ``pluralscope score <record>``. This script computes **no metric**:
it writes per-item distributions, raw texts and parses only; every metric is computed by the
product from them, exactly as for a browser run.

LIKELIHOOD mode (default; SPEC section 4)
  For each of the item's prompts (one per option order): apply the tokenizer's chat template with
  ``add_generation_prompt=True``, run one forward pass, take the full-vocabulary softmax at the last
  position; each label's probability is the sum over its variants "A" and " A" that encode to
  exactly one token; ``labelMass`` = the sum over labels before renormalising; the distribution is
  renormalised over the labels, mapped back to the source's option order through the prompt's
  ``order``, and averaged over the item's prompts (rotations), which are stored in ``rotations``
  when there is more than one. ``labelMass`` is the mean over the prompts.

GENERATE mode (``--mode generate``)
  Greedy (``--temperature 0``, default) or ``--samples N`` samples per prompt. Each text is parsed
  (``--parser answer-tag-or-label``: the ``<answer>`` tag's content matched to an option text or a
  label, else a leading label "A" / "A." / "A)"; ``--parser fairpp-release``: the FAIR-SP release's
  rule). Unparsable samples are kept in ``raw``, stored as null in ``parsed`` and counted in
  ``invalid``. The distribution is the share of valid samples per option (null when none is valid).

Backends: transformers, or vLLM (``--backend vllm``: generation, and likelihood through prompt
log-probabilities). ``auto`` (default) uses transformers for likelihood and vLLM for generation
when vLLM is installed and a GPU is present. With transformers, prompts are batched with left
padding (explicit position ids) and, where a batch shares a long token prefix (a persona system
prompt), that prefix is run once and its key/value cache reused (``--no-prefix-reuse`` turns it
off; the smoke test checks both give the same numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from pluralscope_bundle import __version__  # noqa: E402
from pluralscope_bundle.data import BundleDataError, load_records, sha256_file  # noqa: E402
from pluralscope_bundle.labels import (  # noqa: E402
    PARSER_DEFAULT,
    PARSER_FAIRPP,
    PARSERS,
    average,
    label_distribution,
    parse_answer,
    parse_fairpp_release,
    to_source_order,
    variant_table,
)
from pluralscope_bundle.record import assemble_record, event, item_result, item_set_hash, iso_now, new_run_id  # noqa: E402

MIN_SHARED_PREFIX = 16  # tokens; shorter shared prefixes are not worth a separate forward pass
CHUNK_ITEMS = 256       # items scored between two progress writes of the record


# --- inputs ------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a merged model folder or a Hub id")
    source.add_argument("--adapter", help="a LoRA adapter folder (outputs/<method>/final); the base comes from its adapter_config.json")
    parser.add_argument("--base", help="base model for --adapter (default: adapter_config.json's base_model_name_or_path)")
    parser.add_argument("--items", default=os.path.join(HERE, "data", "benchmark_items.jsonl"))
    parser.add_argument("--template", default=os.path.join(HERE, "data", "run_template.json"))
    parser.add_argument("--out", help="output record (default: runs/eval-<time>.json)")
    parser.add_argument("--mode", choices=["likelihood", "generate"], help="default: the template's scoring.mode")
    parser.add_argument("--samples", type=int, help="generation: samples per prompt (default: template, else 1)")
    parser.add_argument("--temperature", type=float, help="generation: 0 = greedy (default: template, else 0)")
    parser.add_argument("--max-new-tokens", type=int, help="generation (default: template, else 256)")
    parser.add_argument("--parser", choices=PARSERS, help=f"generation parser (default: template's if known, else {PARSER_DEFAULT})")
    parser.add_argument("--batch-size", type=int, default=16, help="prompts per forward pass / generate call")
    parser.add_argument("--backend", choices=["auto", "transformers", "vllm"], default="auto",
                        help="auto = vLLM for generation when it is installed and a GPU is present, else transformers")
    parser.add_argument("--device", default="auto", help="auto, cuda, cuda:1, cpu")
    parser.add_argument("--dtype", default="auto", choices=["auto", "bfloat16", "float16", "float32"],
                        help="auto = bfloat16 on GPU, float32 on CPU")
    parser.add_argument("--limit", type=int, help="score only the first N items (the record's sample says so)")
    parser.add_argument("--no-prefix-reuse", action="store_true", help="transformers likelihood: never reuse a shared prefix's cache")
    parser.add_argument("--seed", type=int, help="sampling seed (default: the template's scoring.seed)")
    parser.add_argument("--run-id", help="the record's id (default: a new one)")
    parser.add_argument("--trust-remote-code", action="store_true")
    return parser.parse_args(argv)


def load_inputs(items_path: str, template_path: str, limit: int | None = None) -> tuple[list[dict], dict, list[dict], bool]:
    """Benchmark items (validated), the run template, events describing any subsetting, and whether it was subset."""
    items = load_records(items_path, "benchmark")
    with open(template_path, encoding="utf-8") as handle:
        template = json.load(handle)
    for key in ("suite", "scoring", "sample"):
        if key not in template:
            raise BundleDataError(f"{template_path}: missing field '{key}'")
    events = []
    limited = limit is not None and limit < len(items)
    if limited:
        events.append(event("subset", f"eval_server scored the first {limit} of {len(items)} benchmark items (--limit)"))
        items = items[:limit]
    return items, template, events, limited


def sample_for(template: dict, items: list[dict], limited: bool) -> dict | None:
    if not limited:
        return None
    sample = dict(template["sample"])
    sample.update(strategy="first", limit=len(items), total=len(items), itemSetHash=item_set_hash(i["id"] for i in items))
    return sample


# --- prompt rendering ----------------------------------------------------------------------------

class PromptRenderer:
    """Chat template -> token ids; merges the system message into the user turn if the template refuses it."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.system_role = None  # "system" or "merged-into-user" once a system message was seen

    def _apply(self, messages):
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def ids(self, messages: list[dict]) -> list[int]:
        has_system = messages and messages[0]["role"] == "system"
        if has_system and self.system_role == "merged-into-user":
            messages = merge_system(messages)
        try:
            text = self._apply(messages)
            if has_system and self.system_role is None:
                self.system_role = "system"
        except Exception as exc:  # jinja2 TemplateError, e.g. "System role not supported"
            if not has_system or "system" not in str(exc).lower():
                raise
            self.system_role = "merged-into-user"
            text = self._apply(merge_system(messages))
        # The chat template already writes BOS and other special tokens.
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])


def merge_system(messages: list[dict]) -> list[dict]:
    if not messages or messages[0]["role"] != "system":
        return messages
    system, rest = messages[0]["content"], [dict(m) for m in messages[1:]]
    if rest and rest[0]["role"] == "user":
        rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
        return rest
    return [{"role": "user", "content": system}] + rest


def common_prefix_length(sequences: list[list[int]]) -> int:
    if not sequences:
        return 0
    first = sequences[0]
    length = min(len(s) for s in sequences)
    for i in range(length):
        token = first[i]
        if any(s[i] != token for s in sequences[1:]):
            return i
    return length


# --- transformers backend ----------------------------------------------------------------------

class TransformersBackend:
    name = "transformers"

    def __init__(self, args):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        if args.device == "auto":
            self.device = "cuda" if torch.cuda.is_available() else "cpu"
        else:
            self.device = args.device
        if args.dtype == "auto":
            self.dtype_name = "bfloat16" if self.device.startswith("cuda") else "float32"
        else:
            self.dtype_name = args.dtype
        dtype = getattr(torch, self.dtype_name)
        self.model_info = resolve_model(args)
        tokenizer_source = self.model_info["tokenizer"]
        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer_source, trust_remote_code=args.trust_remote_code)
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        model = AutoModelForCausalLM.from_pretrained(self.model_info["weights"], dtype=dtype, trust_remote_code=args.trust_remote_code)
        if self.model_info.get("adapter"):
            from peft import PeftModel

            # Merged for inference: the same weights the ONNX export merges (export/merge_lora.py).
            model = PeftModel.from_pretrained(model, self.model_info["adapter"]).merge_and_unload()
        self.model = model.to(self.device).eval()
        self.revision = getattr(model.config, "_commit_hash", None)
        self.prefix_reuse = not args.no_prefix_reuse
        self.prefix_reused = False

    def libraries(self) -> dict:
        return library_versions(["torch", "transformers", "peft", "accelerate"])

    def _left_pad(self, sequences: list[list[int]], offset: int = 0):
        torch = self.torch
        width = max(len(s) for s in sequences)
        pad = self.tokenizer.pad_token_id
        ids = torch.full((len(sequences), width), pad, dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for row, seq in enumerate(sequences):
            ids[row, width - len(seq):] = torch.tensor(seq, dtype=torch.long)
            mask[row, width - len(seq):] = 1
        # Position ids follow the real tokens (0.. for the first one), so left padding changes nothing.
        positions = (mask.cumsum(-1) - 1).clamp(min=0) + offset
        return ids.to(self.device), mask.to(self.device), positions.to(self.device)

    def _last_logits(self, **kwargs):
        try:
            out = self.model(**kwargs, logits_to_keep=1)
        except TypeError:  # a model whose forward has no logits_to_keep
            out = self.model(**kwargs)
        return out.logits[:, -1, :], out

    def next_token_probs(self, sequences: list[list[int]], token_ids: list[int]) -> list[dict[int, float]]:
        """For each sequence, the full-vocabulary softmax probability of each of ``token_ids``."""
        torch = self.torch
        with torch.inference_mode():
            prefix = common_prefix_length(sequences) if self.prefix_reuse and len(sequences) > 1 else 0
            prefix = min(prefix, min(len(s) for s in sequences) - 1)
            logits = None
            if prefix >= MIN_SHARED_PREFIX:
                logits = self._with_shared_prefix(sequences, prefix)
            if logits is None:
                ids, mask, positions = self._left_pad(sequences)
                logits, _ = self._last_logits(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=False)
            probs = torch.softmax(logits.float(), dim=-1)
            picked = probs[:, torch.tensor(token_ids, device=probs.device)].cpu().tolist()
        return [dict(zip(token_ids, row)) for row in picked]

    def _with_shared_prefix(self, sequences, prefix):
        torch = self.torch
        head = torch.tensor([sequences[0][:prefix]], dtype=torch.long, device=self.device)
        out = self.model(input_ids=head, attention_mask=torch.ones_like(head), use_cache=True)
        cache = out.past_key_values
        if cache is None or not hasattr(cache, "batch_repeat_interleave"):
            return None
        cache.batch_repeat_interleave(len(sequences))
        ids, suffix_mask, positions = self._left_pad([s[prefix:] for s in sequences], offset=prefix)
        mask = torch.cat([torch.ones((len(sequences), prefix), dtype=suffix_mask.dtype, device=self.device), suffix_mask], dim=1)
        logits, _ = self._last_logits(input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=cache, use_cache=True)
        self.prefix_reused = True
        return logits

    def generate(self, sequences: list[list[int]], samples: int, temperature: float, max_new_tokens: int, seed: int) -> list[list[str]]:
        torch = self.torch
        torch.manual_seed(seed)
        ids, mask, _ = self._left_pad(sequences)
        kwargs = dict(max_new_tokens=max_new_tokens, num_return_sequences=samples, pad_token_id=self.tokenizer.pad_token_id)
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature, top_p=1.0, top_k=0)
        else:
            kwargs.update(do_sample=False)
        with torch.inference_mode():
            out = self.model.generate(input_ids=ids, attention_mask=mask, **kwargs)
        new = out[:, ids.shape[1]:]
        texts = self.tokenizer.batch_decode(new, skip_special_tokens=True)
        return [texts[i * samples:(i + 1) * samples] for i in range(len(sequences))]


# --- vLLM backend --------------------------------------------------------------------------------

class VllmBackend:
    """vLLM for generation and, through prompt log-probabilities, likelihood.

    Written to vLLM's documented offline API (LLM, SamplingParams with ``prompt_logprobs``,
    LoRARequest); not run in this project's CI (see the bundle README).
    """

    name = "vllm"

    def __init__(self, args):
        from transformers import AutoTokenizer
        from vllm import LLM

        self.model_info = resolve_model(args)
        self.dtype_name = "bfloat16" if args.dtype == "auto" else args.dtype
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_info["tokenizer"], trust_remote_code=args.trust_remote_code)
        kwargs = dict(model=self.model_info["weights"], dtype=self.dtype_name, seed=args.seed or 0,
                      enable_prefix_caching=True, trust_remote_code=args.trust_remote_code)
        self.lora_request = None
        if self.model_info.get("adapter"):
            from vllm.lora.request import LoRARequest

            kwargs.update(enable_lora=True, max_lora_rank=max(16, int(self.model_info.get("lora_rank") or 16)))
            self.lora_request = LoRARequest("pluralscope-adapter", 1, self.model_info["adapter"])
        self.llm = LLM(**kwargs)
        self.device = "cuda"
        self.revision = None
        self.prefix_reused = True  # vLLM's automatic prefix caching

    def libraries(self) -> dict:
        return library_versions(["vllm", "torch", "transformers"])

    def next_token_probs(self, sequences, token_ids):
        # The log-probability of token v after a prompt is the prompt log-prob of v appended to it.
        # vLLM's prompt log-probs are log-softmax over the full vocabulary of the raw logits.
        import math

        from vllm import SamplingParams

        params = SamplingParams(max_tokens=1, temperature=0.0, prompt_logprobs=0)
        prompts = [{"prompt_token_ids": list(seq) + [token]} for seq in sequences for token in token_ids]
        outputs = self.llm.generate(prompts, params, lora_request=self.lora_request, use_tqdm=False)
        results = []
        for i in range(len(sequences)):
            row = {}
            for j, token in enumerate(token_ids):
                entry = outputs[i * len(token_ids) + j].prompt_logprobs[-1]
                row[token] = math.exp(entry[token].logprob)
            results.append(row)
        return results

    def generate(self, sequences, samples, temperature, max_new_tokens, seed):
        from vllm import SamplingParams

        params = SamplingParams(n=samples, temperature=temperature, top_p=1.0, max_tokens=max_new_tokens, seed=seed)
        outputs = self.llm.generate([{"prompt_token_ids": list(s)} for s in sequences], params,
                                    lora_request=self.lora_request, use_tqdm=False)
        return [[choice.text for choice in out.outputs] for out in outputs]


def resolve_model(args) -> dict:
    """Where the weights, the tokenizer and the adapter come from, and how the record names the model."""
    if args.adapter:
        config_path = os.path.join(args.adapter, "adapter_config.json")
        if not os.path.isfile(config_path):
            raise SystemExit(f"{args.adapter}: no adapter_config.json (is this a LoRA adapter folder?)")
        with open(config_path, encoding="utf-8") as handle:
            adapter_config = json.load(handle)
        base = args.base or adapter_config.get("base_model_name_or_path")
        if not base:
            raise SystemExit(f"{config_path} names no base model; pass --base")
        has_tokenizer = os.path.isfile(os.path.join(args.adapter, "tokenizer_config.json"))
        folder = os.path.basename(os.path.normpath(args.adapter))
        if folder == "final":
            folder = os.path.basename(os.path.dirname(os.path.normpath(args.adapter)))
        files = []
        for name in ("adapter_config.json", "adapter_model.safetensors"):
            path = os.path.join(args.adapter, name)
            if os.path.isfile(path):
                files.append({"path": name, "sha256": sha256_file(path), "bytes": os.path.getsize(path)})
        return {"weights": base, "adapter": args.adapter, "tokenizer": args.adapter if has_tokenizer else base,
                "ref": args.adapter, "id": f"{base}+{folder}", "files": files, "lora_rank": adapter_config.get("r")}
    name = args.model
    display = os.path.basename(os.path.normpath(name)) if os.path.isdir(name) else name
    return {"weights": name, "adapter": None, "tokenizer": name, "ref": name, "id": display, "files": None}


def library_versions(names) -> dict:
    import importlib.metadata as md

    versions = {"python": platform.python_version(), "pluralscope-bundle": __version__}
    for name in names:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return versions


def make_backend(args, mode: str = "likelihood"):
    """auto: transformers for likelihood (one exact forward pass per prompt), vLLM for generation if present."""
    choice = args.backend
    if choice == "auto" and mode == "likelihood":
        choice = "transformers"
    if choice == "auto":
        try:
            import importlib.util

            import torch

            has_vllm = importlib.util.find_spec("vllm") is not None
            choice = "vllm" if has_vllm and torch.cuda.is_available() and args.device in ("auto", "cuda") else "transformers"
        except ImportError:
            choice = "transformers"
    return VllmBackend(args) if choice == "vllm" else TransformersBackend(args)


# --- scoring -------------------------------------------------------------------------------------

def score_items_likelihood(backend, renderer, items, batch_size, events) -> list[dict]:
    encode = lambda text: backend.tokenizer.encode(text, add_special_tokens=False)  # noqa: E731
    tables: dict[int, dict] = {}
    jobs = []  # (item index, prompt index, token ids)
    for i, item in enumerate(items):
        for p, prompt in enumerate(item["prompts"]):
            jobs.append((i, p, renderer.ids(prompt["messages"])))
    all_tokens: set[int] = set()
    for item in items:
        n = len(item["options"])
        if n not in tables:
            tables[n] = variant_table(encode, item["prompts"][0]["labels"])
        all_tokens.update(t for ids in tables[n].values() for t in ids)
    token_list = sorted(all_tokens)
    probs = [None] * len(jobs)
    seconds = [0.0] * len(jobs)
    order = sorted(range(len(jobs)), key=lambda j: jobs[j][2])  # neighbours share prefixes
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        t0 = time.perf_counter()
        out = backend.next_token_probs([jobs[j][2] for j in batch], token_list)
        share = (time.perf_counter() - t0) / len(batch)
        for j, row in zip(batch, out):
            probs[j] = row
            seconds[j] = share
    results = []
    per_item: dict[int, list] = {}
    for j, (i, p, _) in enumerate(jobs):
        per_item.setdefault(i, []).append((p, probs[j], seconds[j]))
    for i, item in enumerate(items):
        table = tables[len(item["options"])]
        rotations, masses, latency = [], [], 0.0
        for p, row, secs in sorted(per_item[i], key=lambda x: x[0]):
            prompt = item["prompts"][p]
            display, mass = label_distribution(lambda t: row[t], table, prompt["labels"])
            masses.append(mass)
            latency += secs * 1000
            if display is not None:
                rotations.append(to_source_order(display, prompt["order"]))
        if len(rotations) != len(item["prompts"]):
            events.append(event("no-label-mass", f"item {item['id']}: {len(item['prompts']) - len(rotations)} prompt(s) put no probability on the labels"))
        distribution = average(rotations) if rotations else None
        results.append(item_result(item, distribution, label_mass=sum(masses) / len(masses),
                                   rotations=rotations if len(rotations) > 1 else None, latency_ms=latency))
    return results


def score_items_generate(backend, renderer, items, batch_size, samples, temperature, max_new_tokens, parser_name, seed, events) -> list[dict]:
    jobs = []
    for i, item in enumerate(items):
        for p, prompt in enumerate(item["prompts"]):
            jobs.append((i, p, renderer.ids(prompt["messages"])))
    texts: list[list[str] | None] = [None] * len(jobs)
    seconds = [0.0] * len(jobs)
    for start in range(0, len(jobs), batch_size):
        batch = list(range(start, min(start + batch_size, len(jobs))))
        t0 = time.perf_counter()
        out = backend.generate([jobs[j][2] for j in batch], samples, temperature, max_new_tokens, seed + start)
        share = (time.perf_counter() - t0) / len(batch)
        for j, row in zip(batch, out):
            texts[j] = row
            seconds[j] = share
    fallbacks = 0
    per_item: dict[int, list] = {}
    for j, (i, p, _) in enumerate(jobs):
        per_item.setdefault(i, []).append((p, texts[j], seconds[j]))
    results = []
    for i, item in enumerate(items):
        raw, parsed, latency = [], [], 0.0
        for p, row, secs in sorted(per_item[i], key=lambda x: x[0]):
            prompt = item["prompts"][p]
            display_options = [item["options"][k] for k in prompt["order"]]
            latency += secs * 1000
            for text in row:
                if parser_name == PARSER_FAIRPP:
                    position, matched = parse_fairpp_release(text, prompt["labels"])
                    fallbacks += 0 if matched else 1
                else:
                    position = parse_answer(text, prompt["labels"], display_options)
                raw.append(text)
                parsed.append(None if position is None else prompt["order"][position])
        valid = [k for k in parsed if k is not None]
        distribution = None
        if valid:
            distribution = [valid.count(k) / len(valid) for k in range(len(item["options"]))]
        results.append(item_result(item, distribution, raw=raw, parsed=parsed, latency_ms=latency))
    if fallbacks:
        events.append(event("parser-fallback", f"{fallbacks} generated text(s) matched no rule of the fairpp-release parser and were read as the last option, as the release does"))
    return results


# --- main ----------------------------------------------------------------------------------------

def write_json(path: str, record: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False, allow_nan=False)
    os.replace(tmp, path)


def environment_string(backend) -> str:
    parts = [f"{platform.system()} {platform.machine()}", f"Python {platform.python_version()}"]
    try:
        import torch

        if str(backend.device).startswith("cuda") and torch.cuda.is_available():
            parts.append(torch.cuda.get_device_name(0))
    except ImportError:
        pass
    return "; ".join(parts)


def main(argv=None) -> int:
    args = parse_args(argv)
    created_at = iso_now()
    try:
        items, template, events, limited = load_inputs(args.items, args.template, args.limit)
    except (BundleDataError, OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scoring = template["scoring"]
    mode = args.mode or scoring.get("mode", "likelihood")
    if args.mode and args.mode != scoring.get("mode"):
        events.append(event("mode", f"scored in {args.mode} mode (the bundle's template asked for {scoring.get('mode')})"))
    seed = args.seed if args.seed is not None else int(scoring.get("seed", 0))
    samples = args.samples or int(scoring.get("samples", 1))
    temperature = args.temperature if args.temperature is not None else float(scoring.get("temperature", 0.0))
    max_new_tokens = args.max_new_tokens or int(scoring.get("maxNewTokens", 256))
    parser_name = args.parser or (scoring.get("parser") if scoring.get("parser") in PARSERS else PARSER_DEFAULT)
    if mode == "generate" and samples > 1 and temperature <= 0:
        print("error: --samples > 1 needs --temperature > 0 (greedy decoding gives the same text every time)", file=sys.stderr)
        return 2
    args.seed = seed

    backend = make_backend(args, mode)
    renderer = PromptRenderer(backend.tokenizer)
    events.append(event("backend", f"{backend.name} on {backend.device}, {backend.dtype_name}"))
    out_path = args.out or os.path.join("runs", f"eval-{created_at.replace(':', '').replace('.', '-')}.json")
    run_id = args.run_id or new_run_id()
    info = backend.model_info

    def build(results, status, finished):
        model = {"ref": info["ref"], "kind": "server", "id": info["id"], "revision": backend.revision,
                 "dtype": backend.dtype_name, "files": info.get("files") or None, "systemRole": renderer.system_role}
        runtime = {"device": str(backend.device), "libraries": backend.libraries(), "environment": environment_string(backend)}
        if mode == "likelihood":
            updates = {"mode": mode, "batchSize": args.batch_size, "prefixReuse": bool(backend.prefix_reused),
                       "samples": None, "temperature": None, "maxNewTokens": None, "parser": None}
        else:
            updates = {"mode": mode, "batchSize": args.batch_size, "samples": samples, "temperature": temperature,
                       "maxNewTokens": max_new_tokens, "parser": parser_name, "prefixReuse": None}
        return assemble_record(template, results, model=model, runtime=runtime, producer_version=__version__,
                               created_at=created_at, finished_at=finished, status=status, scoring_updates=updates,
                               sample_override=sample_for(template, items, limited),
                               events=events, run_id=run_id)

    results: list[dict] = []
    try:
        for start in range(0, len(items), CHUNK_ITEMS):
            chunk = items[start:start + CHUNK_ITEMS]
            if mode == "likelihood":
                results += score_items_likelihood(backend, renderer, chunk, args.batch_size, events)
            else:
                results += score_items_generate(backend, renderer, chunk, args.batch_size, samples, temperature,
                                                max_new_tokens, parser_name, seed, events)
            write_json(out_path, build(results, "running", None))
            print(f"{len(results)}/{len(items)} items", file=sys.stderr)
    except BaseException as exc:
        events.append(event("error", f"{type(exc).__name__}: {exc}"))
        status = "cancelled" if isinstance(exc, KeyboardInterrupt) else "failed"
        write_json(out_path, build(results, status, iso_now()))
        print(f"failed after {len(results)} items; partial record written to {out_path}", file=sys.stderr)
        raise
    write_json(out_path, build(results, "complete", iso_now()))
    print(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
