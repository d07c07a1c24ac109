#!/usr/bin/env bash
# End-to-end check of this bundle's code on CPU, in a few minutes, with no download:
#   1. builds a tiny random Qwen2 (2 layers, hidden 64) and a byte-level BPE tokenizer with a chat
#      template, from a config;
#   2. writes a tiny dataset in each format and runs two optimizer steps of every method
#      (sft, wsft, dpo, wdpo, grpo, lora-sft) through `accelerate launch train.py`, and checks each
#      loss (tests/smoke_setup.py trained: DPO starts at ln 2, WDPO at mean weight x ln 2, the WSFT
#      weights reach the loss, GRPO logs the bundle's rewards); SFT twice (byte-identical adapters);
#      then WSFT and WDPO again on two processes (accelerate launch with accelerate/multi_gpu.yaml; DDP
#      over gloo) and WSFT through slurm/train.sbatch on two nodes faked on this machine
#      (tests/fake_slurm): every logged loss must equal the one-process run's; accelerate's launcher
#      reads every accelerate/*.yaml to the settings it should have;
#   3. runs eval_server.py on two benchmark items of the SFT adapter: likelihood with and without
#      shared-prefix reuse (the two must agree), and generation; checks each run record;
#   4. merges the adapter (export/merge_lora.py): the merged model must score as base + adapter;
#   5. converts the GRPO data to VeRL's parquet (verl/to_parquet.py), reads it back with datasets and
#      scores the gold answers with verl/reward.py.
# Exits non-zero on any failure. Needs the training environment (pip install -r requirements.txt).
#     bash smoke_test.sh            # keeps its files in a temporary folder, removed at the end
#     KEEP=1 bash smoke_test.sh     # keeps them and prints where
#     SMOKE_DEVICE=cuda bash smoke_test.sh
#         on a GPU: every method trains in bfloat16 with accelerate/single_gpu.yaml and eval_server.py
#         and the merge check run on the GPU; the CPU-only checks of step 2 (byte-identical reruns,
#         DDP over gloo, the faked Slurm nodes, the accelerate configs) and step 5 are skipped.
set -euo pipefail
BUNDLE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then
  echo "work folder: $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export TOKENIZERS_PARALLELISM=false WANDB_DISABLED=true
export HF_DATASETS_CACHE="$WORK/hf-datasets"
PY="python3"
SETUP="$BUNDLE/tests/smoke_setup.py"

command -v accelerate >/dev/null || { echo "accelerate not found: pip install -r requirements.txt" >&2; exit 1; }

DEVICE=${SMOKE_DEVICE:-cpu}
CPU=(--set model.dtype=float32 --set trainer.bf16=false --set trainer.use_cpu=true)
case "$DEVICE" in
  cpu)
    export CUDA_VISIBLE_DEVICES=""
    TRAIN=("${CPU[@]}")
    ACCEL="$BUNDLE/accelerate/cpu.yaml"
    ;;
  cuda)
    $PY -c 'import sys, torch; sys.exit(None if torch.cuda.is_available() else "SMOKE_DEVICE=cuda, but torch sees no CUDA device")'
    $PY -c 'import torch; print("device:", torch.cuda.get_device_name(0), "| torch", torch.__version__, "CUDA", torch.version.cuda)'
    TRAIN=(--set model.dtype=bfloat16 --set trainer.bf16=true --set trainer.use_cpu=false)
    ACCEL="$BUNDLE/accelerate/single_gpu.yaml"
    ;;
  *)
    echo "SMOKE_DEVICE must be cpu or cuda, not '$DEVICE'" >&2
    exit 2
    ;;
esac

echo "== tiny model"
$PY "$SETUP" model "$WORK/tiny-model"

# Small batches and two steps; eager attention for the tiny model; the device's settings in TRAIN / CPU.
COMMON=(
  --set model.attn_implementation=eager --set trainer.max_steps=2
  --set trainer.gradient_checkpointing=false --set trainer.warmup_steps=0 --set trainer.logging_steps=1
  --set trainer.dataloader_num_workers=0 --set batch.per_device_train_batch_size=2 --set batch.per_device_eval_batch_size=2
)

for METHOD in sft wsft dpo wdpo grpo lora-sft; do
  echo "== $METHOD"
  ROOT="$WORK/bundle-$METHOD"
  $PY "$SETUP" bundle "$ROOT" "$METHOD" "$WORK/tiny-model"
  EXTRA=(--set batch.global_train_batch_size=4 --set trainer.eval_strategy=steps --set trainer.eval_steps=2)
  if [ "$METHOD" = sft ]; then
    # A learning rate that moves this adapter visibly, so that the merge check below has something to check.
    EXTRA+=(--set trainer.learning_rate=0.05)
  fi
  if [ "$METHOD" = grpo ]; then
    # 2 prompts x 2 rollouts per step; beta > 0 exercises the reference pass (adapter disabled).
    EXTRA=(--set batch.global_train_batch_size=2 --set trainer.num_generations=2 --set trainer.max_completion_length=8
           --set trainer.beta=0.001 --set trainer.steps_per_generation=2 --set trainer.eval_strategy=no)
  fi
  accelerate launch --config_file "$ACCEL" "$BUNDLE/train.py" \
    --config "$BUNDLE/configs/$METHOD.yaml" --bundle-root "$ROOT" "${COMMON[@]}" "${TRAIN[@]}" "${EXTRA[@]}"
  test -f "$ROOT/outputs/$METHOD/final/adapter_config.json"
  test -f "$ROOT/outputs/$METHOD/training_summary.json"
  $PY "$SETUP" trained "$METHOD" "$ROOT/outputs/$METHOD/training_summary.json"
done

if [ "$DEVICE" = cpu ]; then
  echo "== sft again: the same adapter, byte for byte (training is seeded)"
  ROOT="$WORK/bundle-sft-again"
  $PY "$SETUP" bundle "$ROOT" sft "$WORK/tiny-model"
  accelerate launch --config_file "$ACCEL" "$BUNDLE/train.py" \
    --config "$BUNDLE/configs/sft.yaml" --bundle-root "$ROOT" "${COMMON[@]}" "${CPU[@]}" \
    --set batch.global_train_batch_size=4 --set trainer.eval_strategy=steps --set trainer.eval_steps=2 --set trainer.learning_rate=0.05
  cmp "$WORK/bundle-sft/outputs/sft/final/adapter_model.safetensors" "$ROOT/outputs/sft/final/adapter_model.safetensors"
  echo "same adapter from two runs"

  free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

  echo "== wsft and wdpo on 2 processes: accelerate launch with accelerate/multi_gpu.yaml (DDP, here over gloo on CPU)"
  echo "   must log the same losses as 1 process with gradient accumulation"
  for METHOD in wsft wdpo; do
    ROOT="$WORK/bundle-$METHOD-ddp"
    $PY "$SETUP" bundle "$ROOT" "$METHOD" "$WORK/tiny-model"
    # CPU has no bf16 autocast worth checking: the config's mixed precision is switched off here.
    accelerate launch --config_file "$BUNDLE/accelerate/multi_gpu.yaml" --num_processes 2 --mixed_precision no \
      --main_process_port "$(free_port)" "$BUNDLE/train.py" \
      --config "$BUNDLE/configs/$METHOD.yaml" --bundle-root "$ROOT" "${COMMON[@]}" "${CPU[@]}" \
      --set batch.global_train_batch_size=4 --set trainer.eval_strategy=steps --set trainer.eval_steps=2
    $PY "$SETUP" same-training "$WORK/bundle-$METHOD/outputs/$METHOD/training_summary.json" "$ROOT/outputs/$METHOD/training_summary.json" 1
  done

  echo "== slurm/train.sbatch on 2 nodes x 1 process, the nodes faked on this machine"
  echo "   (tests/fake_slurm: srun starts the script's task once per node with its SLURM_NODEID, as Slurm does)"
  ROOT="$WORK/bundle-wsft-slurm"
  $PY "$SETUP" bundle "$ROOT" wsft "$WORK/tiny-model"
  mkdir -p "$WORK/fake-slurm"
  cp "$BUNDLE/tests/fake_slurm/srun" "$BUNDLE/tests/fake_slurm/scontrol" "$WORK/fake-slurm/"
  chmod +x "$WORK/fake-slurm/"*   # a zip may not keep the executable bit
  sed 's/^mixed_precision: bf16$/mixed_precision: "no"/' "$BUNDLE/accelerate/multi_gpu.yaml" >"$WORK/multi_gpu-fp32.yaml"
  grep -q '^mixed_precision: "no"$' "$WORK/multi_gpu-fp32.yaml"
  (
    cd "$BUNDLE"
    PATH="$WORK/fake-slurm:$PATH" SLURM_SUBMIT_DIR="$BUNDLE" SLURM_NNODES=2 SLURM_JOB_NODELIST=localhost,localhost \
      GPUS_PER_NODE=1 MAIN_PORT="$(free_port)" METHOD=wsft ACCEL_CONFIG="$WORK/multi_gpu-fp32.yaml" \
      timeout 600 bash slurm/train.sbatch --bundle-root "$ROOT" "${COMMON[@]}" "${CPU[@]}" \
        --set batch.global_train_batch_size=4 --set trainer.eval_strategy=steps --set trainer.eval_steps=2
  )
  $PY "$SETUP" same-training "$WORK/bundle-wsft/outputs/wsft/training_summary.json" "$ROOT/outputs/wsft/training_summary.json" 2

  echo "== accelerate/*.yaml as accelerate launch reads them (8 processes; deepspeed and FSDP2 are not run here)"
  (cd "$BUNDLE" && $PY "$SETUP" accelerate-configs)
else
  echo "== on cuda: the CPU-only checks (byte-identical rerun, 2 processes, faked Slurm nodes, accelerate configs) are skipped"
fi

echo "== eval_server (likelihood, with and without prefix reuse; generation)"
ROOT="$WORK/bundle-sft"
ADAPTER="$ROOT/outputs/sft/final"
EVAL=(--adapter "$ADAPTER" --items "$ROOT/data/benchmark_items.jsonl" --template "$ROOT/data/run_template.json"
      --limit 2 --backend transformers --device "$DEVICE" --dtype float32 --batch-size 4)
$PY "$BUNDLE/eval_server.py" "${EVAL[@]}" --out "$WORK/runs/likelihood.json"
$PY "$BUNDLE/eval_server.py" "${EVAL[@]}" --no-prefix-reuse --out "$WORK/runs/likelihood-plain.json"
$PY "$BUNDLE/eval_server.py" "${EVAL[@]}" --mode generate --samples 2 --temperature 0.7 --max-new-tokens 8 --out "$WORK/runs/generate.json"
for RUN in likelihood likelihood-plain generate; do
  $PY "$SETUP" check "$WORK/runs/$RUN.json"
done
$PY -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['scoring']['prefixReuse'] is True, r['scoring']" "$WORK/runs/likelihood.json"
$PY "$SETUP" compare "$WORK/runs/likelihood.json" "$WORK/runs/likelihood-plain.json"
if [ "$DEVICE" = cuda ]; then
  # The comparisons above are in float32; a GPU serves models in bfloat16, so that path runs too.
  $PY "$BUNDLE/eval_server.py" "${EVAL[@]}" --dtype bfloat16 --out "$WORK/runs/likelihood-bf16.json"
  $PY "$SETUP" check "$WORK/runs/likelihood-bf16.json"
fi

echo "== export/merge_lora.py (the merged model scores as base + adapter)"
$PY "$BUNDLE/export/merge_lora.py" --adapter "$ADAPTER" --out "$WORK/merged" --dtype float32
$PY "$BUNDLE/eval_server.py" --model "$WORK/merged" --items "$ROOT/data/benchmark_items.jsonl" --template "$ROOT/data/run_template.json" \
  --limit 2 --backend transformers --device "$DEVICE" --dtype float32 --batch-size 4 --out "$WORK/runs/merged.json"
$PY "$SETUP" check "$WORK/runs/merged.json"
$PY "$SETUP" compare "$WORK/runs/likelihood.json" "$WORK/runs/merged.json"
# ... and the adapter did change the scores (else the comparison above proves nothing).
$PY "$BUNDLE/eval_server.py" --model "$WORK/tiny-model" --items "$ROOT/data/benchmark_items.jsonl" --template "$ROOT/data/run_template.json" \
  --limit 2 --backend transformers --device "$DEVICE" --dtype float32 --batch-size 4 --out "$WORK/runs/base.json"
$PY "$SETUP" differ "$WORK/runs/likelihood.json" "$WORK/runs/base.json"

if [ "$DEVICE" = cpu ]; then
  echo "== verl/to_parquet.py (VeRL's parquet layout, scored by verl/reward.py)"
  $PY "$BUNDLE/verl/to_parquet.py" --train "$WORK/bundle-grpo/data/train.jsonl" --eval "$WORK/bundle-grpo/data/eval.jsonl" \
    --out "$WORK/verl-data" --data-source dvmap
  $PY "$SETUP" verl-check "$WORK/verl-data"
fi

echo "smoke test passed ($DEVICE)"
