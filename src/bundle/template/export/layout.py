#!/usr/bin/env python3
"""Arranges an Optimum ONNX export into the transformers.js folder layout Pluralscope loads.

    python export/layout.py --exported /tmp/optimum-out --model merged/ --out web-model/

Result (what transformers.js 4 reads from ``<localModelPath>/<name>/``):

    web-model/
      config.json              model_type, architectures, head counts, head_dim, vocab_size, ...
      generation_config.json
      tokenizer.json
      tokenizer_config.json    with "chat_template" (inlined from chat_template.jinja if needed)
      onnx/model.onnx          fp32 (export/quantize.py adds model_q4.onnx and model_q4f16.onnx)
      onnx/model.onnx_data     only when the weights are over the 2 GB protobuf limit

When an ``onnx/<name>.onnx`` has external data ``onnx/<name>.onnx_data``, config.json gets
``"transformers.js_config": {"use_external_data_format": {"<name>.onnx": 1, ...}}``, the per-file
form transformers.js 4 resolves (src/utils/model-loader.js, resolveExternalDataFormat). The data
file's name must equal the location stored inside the .onnx; this script and quantize.py always
write ``<name>.onnx_data``.

Also checks the things the product's loader needs (SPEC/ENVIRONMENT notes): inputs ``input_ids``,
``attention_mask`` and ``past_key_values.<i>.key|value``, outputs ``logits`` and
``present.<i>.key|value``, and fixed (numeric) KV-head and head_dim sizes in the cache inputs.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys

COPY = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"]
EXTERNAL_DATA_LIMIT = 1_800_000_000  # bytes of tensors above which a model is saved with external data


def data_name(onnx_name: str) -> str:
    return onnx_name + "_data"


def tensor_bytes(model) -> int:
    return sum(len(t.raw_data) for t in model.graph.initializer)


def save_model(model, path: str, force_external: bool | None = None) -> None:
    """Saves with external data ``<file>.onnx_data`` when the tensors pass the 2 GB protobuf limit."""
    import onnx

    for stale in (path, path + "_data"):
        if os.path.exists(stale):
            os.remove(stale)
    external = force_external if force_external is not None else tensor_bytes(model) > EXTERNAL_DATA_LIMIT
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=os.path.basename(data_name(path)), size_threshold=1024, convert_attribute=False)
    else:
        onnx.save_model(model, path)


def update_external_data_config(folder: str) -> dict:
    """Writes transformers.js_config.use_external_data_format for every onnx/*.onnx with a _data file."""
    config_path = os.path.join(folder, "config.json")
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    external = {}
    for path in sorted(glob.glob(os.path.join(folder, "onnx", "*.onnx"))):
        name = os.path.basename(path)
        if os.path.isfile(data_name(path)):
            external[name] = 1
    js_config = dict(config.get("transformers.js_config") or {})
    if external:
        js_config["use_external_data_format"] = external
    else:
        js_config.pop("use_external_data_format", None)
    if js_config:
        config["transformers.js_config"] = js_config
    else:
        config.pop("transformers.js_config", None)
    with open(config_path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
    return external


def complete_config(folder: str) -> None:
    """transformers.js reads head_dim and num_key_value_heads from config.json: make them explicit."""
    path = os.path.join(folder, "config.json")
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    text = config.get("text_config", config)
    if "num_key_value_heads" not in text and "num_attention_heads" in text:
        text["num_key_value_heads"] = text["num_attention_heads"]
    if not text.get("head_dim") and "hidden_size" in text and "num_attention_heads" in text:
        text["head_dim"] = text["hidden_size"] // text["num_attention_heads"]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)


def inline_chat_template(folder: str) -> None:
    """transformers.js reads the chat template from tokenizer_config.json."""
    config_path = os.path.join(folder, "tokenizer_config.json")
    jinja_path = os.path.join(folder, "chat_template.jinja")
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not config.get("chat_template") and os.path.isfile(jinja_path):
        with open(jinja_path, encoding="utf-8") as handle:
            config["chat_template"] = handle.read()
        with open(config_path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2, ensure_ascii=False)
    if not config.get("chat_template"):
        print("warning: tokenizer_config.json has no chat_template; Pluralscope's prompts are chat messages", file=sys.stderr)


def check_io(path: str) -> list[str]:
    """Names and cache shapes the product's loader relies on. Returns problems (empty = fine)."""
    import onnx

    model = onnx.load(path, load_external_data=False)
    inputs = {i.name: i for i in model.graph.input}
    outputs = {o.name for o in model.graph.output}
    problems = []
    for name in ("input_ids", "attention_mask", "past_key_values.0.key", "past_key_values.0.value"):
        if name not in inputs:
            problems.append(f"input {name!r} missing (export with --task text-generation-with-past)")
    for name in ("logits", "present.0.key", "present.0.value"):
        if name not in outputs:
            problems.append(f"output {name!r} missing")
    for name, value in inputs.items():
        if not name.startswith("past_key_values."):
            continue
        dims = value.type.tensor_type.shape.dim
        if len(dims) != 4:
            problems.append(f"{name}: expected 4 dims [batch, kv_heads, past_len, head_dim], got {len(dims)}")
            continue
        for index, label in ((1, "kv_heads"), (3, "head_dim")):
            if not dims[index].HasField("dim_value"):
                problems.append(f"{name}: {label} is symbolic ({dims[index].dim_param!r}); transformers.js needs a fixed number there")
    return problems


def verify(path: str) -> None:
    """One forward pass on CPU with an empty cache: the graph loads and gives finite logits."""
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {}
    type_map = {"tensor(float)": np.float32, "tensor(float16)": np.float16, "tensor(int64)": np.int64, "tensor(int32)": np.int32}
    for meta in session.get_inputs():
        if meta.name == "input_ids":
            feeds[meta.name] = np.array([[1, 2, 3]], dtype=type_map[meta.type])
        elif meta.name == "attention_mask":
            feeds[meta.name] = np.ones((1, 3), dtype=type_map[meta.type])
        elif meta.name == "position_ids":
            feeds[meta.name] = np.arange(3, dtype=type_map[meta.type])[None, :]
        elif meta.name.startswith("past_key_values."):
            shape = [1 if i == 0 else (0 if not isinstance(d, int) else d) for i, d in enumerate(meta.shape)]
            feeds[meta.name] = np.zeros(shape, dtype=type_map[meta.type])
        else:
            raise RuntimeError(f"{path}: unexpected input {meta.name}")
    logits = session.run(["logits"], feeds)[0]
    if not np.isfinite(logits.astype(np.float32)).all():
        raise RuntimeError(f"{path}: non-finite logits")
    print(f"verified {os.path.basename(path)}: logits {list(logits.shape)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exported", required=True, help="optimum-cli's output folder")
    parser.add_argument("--model", required=True, help="the merged model folder (fallback for metadata files)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--external-data", choices=("auto", "always", "never"), default="auto",
                        help="weights in onnx/model.onnx_data: auto = over the 2 GB protobuf limit (default)")
    parser.add_argument("--no-verify", action="store_true", help="skip the onnxruntime forward pass")
    args = parser.parse_args(argv)
    import onnx

    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    for name in COPY:
        for source in (args.exported, args.model):
            if os.path.isfile(os.path.join(source, name)):
                shutil.copyfile(os.path.join(source, name), os.path.join(args.out, name))
                break
    for required in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        if not os.path.isfile(os.path.join(args.out, required)):
            raise SystemExit(f"{required} is missing from both {args.exported} and {args.model}")
    complete_config(args.out)
    inline_chat_template(args.out)

    candidates = [os.path.join(args.exported, n) for n in ("model.onnx", "decoder_model_merged.onnx", "decoder_with_past_model.onnx")]
    source = next((p for p in candidates if os.path.isfile(p)), None)
    if source is None:
        raise SystemExit(f"no model.onnx in {args.exported}")
    target = os.path.join(args.out, "onnx", "model.onnx")
    # Re-save rather than copy: the external data file must be named model.onnx_data, as stored inside.
    force = {"auto": None, "always": True, "never": False}[args.external_data]
    save_model(onnx.load(source, load_external_data=True), target, force_external=force)
    problems = check_io(target)
    if problems:
        raise SystemExit("the exported graph does not fit the Pluralscope loader:\n  " + "\n  ".join(problems))
    external = update_external_data_config(args.out)
    if not args.no_verify:
        verify(target)
    print(f"wrote {args.out} (external data: {sorted(external) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
