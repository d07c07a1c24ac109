#!/usr/bin/env python3
"""Converts the bundle's GRPO data (data/train.jsonl, data/eval.jsonl) to VeRL's parquet layout.

    python verl/to_parquet.py                # -> verl/data/train.parquet, verl/data/val.parquet

One row per prompt, with the columns VeRL's RLHFDataset and reward manager read (the layout of
VeRL's examples/data_preprocess scripts):
  data_source   the manifest's suite (VeRL passes it to compute_score; data.reward_fn_key)
  prompt        the chat messages; VeRL applies the model's chat template itself
  ability       "values"
  reward_model  {"style": "rule", "ground_truth": <gold option text>}
  extra_info    {"split", "index", "id", "options", "answer_label", "frequency"} -- verl/reward.py
                reads the options from here to match a label answer ("B") to its text
"""

from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from pluralscope_bundle.data import load_records  # noqa: E402


def to_verl_row(record: dict, index: int, split: str, data_source: str) -> dict:
    return {
        "data_source": data_source,
        "prompt": [{"role": m["role"], "content": m["content"]} for m in record["prompt"]],
        "ability": "values",
        "reward_model": {"style": "rule", "ground_truth": record["answer"]},
        "extra_info": {
            "split": split,
            "index": index,
            "id": record["id"],
            "options": list(record["options"]),
            "answer_label": record["answer_label"],
            # null when the source has none; a float column otherwise
            "frequency": None if record.get("frequency") is None else float(record["frequency"]),
        },
    }


def convert(path: str, split: str, data_source: str) -> list[dict]:
    return [to_verl_row(r, i, split, data_source) for i, r in enumerate(load_records(path, "grpo"))]


def write_parquet(rows: list[dict], path: str) -> None:
    import pyarrow as pa  # a VeRL dependency (requirements-verl.txt)
    import pyarrow.parquet as pq

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", default=os.path.join(ROOT, "data", "train.jsonl"))
    parser.add_argument("--eval", default=os.path.join(ROOT, "data", "eval.jsonl"))
    parser.add_argument("--out", default=os.path.join(HERE, "data"))
    parser.add_argument("--data-source", help="default: the manifest's suite, e.g. dvmap")
    args = parser.parse_args(argv)
    data_source = args.data_source
    if not data_source:
        with open(os.path.join(ROOT, "manifest.json"), encoding="utf-8") as handle:
            data_source = json.load(handle).get("suite", "pluralscope")
    train = convert(args.train, "train", data_source)
    write_parquet(train, os.path.join(args.out, "train.parquet"))
    written = [f"{len(train)} train rows"]
    if os.path.isfile(args.eval):
        evaluation = convert(args.eval, "val", data_source)
        if evaluation:
            write_parquet(evaluation, os.path.join(args.out, "val.parquet"))
            written.append(f"{len(evaluation)} val rows")
    print(f"wrote {', '.join(written)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
