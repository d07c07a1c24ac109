#!/usr/bin/env python3
"""Merges a LoRA adapter into its base model and saves a plain Hugging Face folder.

    python export/merge_lora.py --adapter outputs/sft/final --out merged/

Runs in the *training* environment (requirements.txt: transformers 5, peft). The merged folder is
then exported to ONNX in the separate export environment (requirements-export.txt), whose
Optimum pins transformers 4.x. Two things keep that hand-over safe:

* the weights are saved as float16/bfloat16/float32 safetensors (``--dtype``; default: the base's);
* the base model's own metadata files (config.json, generation_config.json and the tokenizer
  files) are copied over the ones transformers 5 writes: transformers 5 serialises some config
  fields differently (for example RoPE settings as ``rope_parameters``), which an older
  transformers may not read, while the merged weights have exactly the base's architecture. The
  files transformers 5 wrote are kept beside them as ``*.transformers5.json``. ``--keep-v5-config``
  skips the copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

METADATA = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "tokenizer.model", "chat_template.jinja", "vocab.json", "merges.txt"]


def base_metadata_dir(base: str) -> str | None:
    """A local folder holding the base model's original metadata files (downloaded if needed)."""
    if os.path.isdir(base):
        return base
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(base, allow_patterns=METADATA)
    except Exception as exc:  # offline, gated model without a token, ...
        print(f"warning: could not fetch {base}'s metadata files ({exc}); keeping the ones transformers wrote", file=sys.stderr)
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adapter", required=True, help="LoRA adapter folder (outputs/<method>/final)")
    parser.add_argument("--base", help="base model (default: adapter_config.json's base_model_name_or_path)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"])
    parser.add_argument("--keep-v5-config", action="store_true", help="do not copy the base's original config/tokenizer files")
    args = parser.parse_args(argv)

    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with open(os.path.join(args.adapter, "adapter_config.json"), encoding="utf-8") as handle:
        adapter_config = json.load(handle)
    base = args.base or adapter_config["base_model_name_or_path"]
    dtype = "auto" if args.dtype == "auto" else getattr(torch, args.dtype)

    model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
    model = PeftModel.from_pretrained(model, args.adapter)
    merged = model.merge_and_unload()
    os.makedirs(args.out, exist_ok=True)
    merged.save_pretrained(args.out, safe_serialization=True)
    tokenizer_source = args.adapter if os.path.isfile(os.path.join(args.adapter, "tokenizer_config.json")) else base
    AutoTokenizer.from_pretrained(tokenizer_source).save_pretrained(args.out)

    if not args.keep_v5_config:
        source = base_metadata_dir(base)
        if source:
            for name in METADATA:
                src = os.path.join(source, name)
                dst = os.path.join(args.out, name)
                if not os.path.isfile(src):
                    continue
                if os.path.isfile(dst) and name.endswith(".json"):
                    shutil.copyfile(dst, os.path.join(args.out, name[:-5] + ".transformers5.json"))
                shutil.copyfile(src, dst)
            # The original config names the original dtype; the weights on disk are what we saved.
            with open(os.path.join(args.out, "config.json"), encoding="utf-8") as handle:
                config = json.load(handle)
            saved = str(merged.dtype).replace("torch.", "")
            config["torch_dtype"] = saved
            with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as handle:
                json.dump(config, handle, indent=2)
    with open(os.path.join(args.out, "pluralscope_merge.json"), "w", encoding="utf-8") as handle:
        json.dump({"base": base, "adapter": os.path.abspath(args.adapter), "dtype": str(merged.dtype)}, handle, indent=2)
    print(f"merged {args.adapter} into {base} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
