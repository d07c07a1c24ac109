#!/usr/bin/env bash
# GRPO with VeRL, as the DVMap paper trained (seed 003, appendix G): FSDP2, 8 rollouts per prompt
# at temperature 0.7, global batch 64 prompts, lr 5e-6, 1 epoch, bf16, reward
# 1[answer correct] + beta * format (verl/reward.py, the same code as the TRL path).
#
# One node:
#     bash verl/run_grpo.sh
# Several nodes (run the same command on every node; node 0 is the Ray head):
#     NNODES=2 NODE_RANK=0 HEAD_IP=10.0.0.1 bash verl/run_grpo.sh      # on the head
#     NNODES=2 NODE_RANK=1 HEAD_IP=10.0.0.1 bash verl/run_grpo.sh      # on each worker
# Under Slurm: one task per node, e.g.
#     srun --nodes=$SLURM_NNODES --ntasks-per-node=1 bash -c \
#       'NNODES=$SLURM_NNODES NODE_RANK=$SLURM_NODEID HEAD_IP=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1) bash verl/run_grpo.sh'
# Extra Hydra overrides are passed through:  bash verl/run_grpo.sh trainer.total_epochs=2
#
# Environment (defaults): MODEL (the manifest's base_model), NNODES (1), NODE_RANK (0), HEAD_IP,
# RAY_PORT (6379), GPUS_PER_NODE (nvidia-smi count), FORMAT_WEIGHT (0.1), LORA_RANK (0 = all
# weights, as the paper), MICRO_BATCH (8), OUT (outputs/verl-grpo).
#
# Written to VeRL's documented launch (python -m verl.trainer.main_ppo with Hydra overrides; keys
# checked against VeRL's generated ppo_trainer.yaml of early 2026). VeRL moves fast: if a key was
# renamed in your version, Hydra names it in its error. After training, convert the FSDP
# checkpoint to a Hugging Face folder with
#     python -m verl.model_merger merge --backend fsdp \
#         --local_dir $OUT/global_step_<N>/actor --target_dir merged/
# then evaluate (python eval_server.py --model merged/) and export (export/export_onnx.sh merged/).
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=${MODEL:-$(python3 -c 'import json; print(json.load(open("manifest.json"))["base_model"])')}
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
RAY_PORT=${RAY_PORT:-6379}
GPUS_PER_NODE=${GPUS_PER_NODE:-$(nvidia-smi -L 2>/dev/null | wc -l)}
FORMAT_WEIGHT=${FORMAT_WEIGHT:-0.1}
LORA_RANK=${LORA_RANK:-0}
MICRO_BATCH=${MICRO_BATCH:-8}
OUT=${OUT:-outputs/verl-grpo}

if [ "$GPUS_PER_NODE" -lt 1 ]; then
  echo "no GPU found (set GPUS_PER_NODE)" >&2
  exit 1
fi

python3 verl/to_parquet.py --out verl/data
VAL_FILES=verl/data/val.parquet
[ -f "$VAL_FILES" ] || VAL_FILES=verl/data/train.parquet

if [ "$NNODES" -gt 1 ]; then
  : "${HEAD_IP:?set HEAD_IP to the address of the head node}"
  if [ "$NODE_RANK" -ne 0 ]; then
    # Workers join the head's Ray cluster and stay there; the head drives the training.
    exec ray start --address="$HEAD_IP:$RAY_PORT" --num-gpus="$GPUS_PER_NODE" --block
  fi
  ray start --head --node-ip-address="$HEAD_IP" --port="$RAY_PORT" --num-gpus="$GPUS_PER_NODE"
  trap 'ray stop' EXIT
  # Wait until every node has joined (Ray counts alive nodes).
  for _ in $(seq 1 120); do
    alive=$(python3 -c 'import ray; ray.init(address="auto", logging_level="ERROR"); print(sum(1 for n in ray.nodes() if n["Alive"]))' 2>/dev/null || echo 0)
    [ "$alive" -ge "$NNODES" ] && break
    sleep 5
  done
  if [ "$alive" -lt "$NNODES" ]; then
    echo "only $alive of $NNODES nodes joined the Ray cluster" >&2
    exit 1
  fi
fi

export PYTHONUNBUFFERED=1
python3 -m verl.trainer.main_ppo \
  algorithm.adv_estimator=grpo \
  algorithm.use_kl_in_reward=False \
  data.train_files=verl/data/train.parquet \
  data.val_files="$VAL_FILES" \
  data.train_batch_size=64 \
  data.max_prompt_length=1024 \
  data.max_response_length=1024 \
  data.filter_overlong_prompts=True \
  data.truncation=error \
  actor_rollout_ref.model.path="$MODEL" \
  actor_rollout_ref.model.use_remove_padding=True \
  actor_rollout_ref.model.enable_gradient_checkpointing=True \
  actor_rollout_ref.model.lora_rank="$LORA_RANK" \
  actor_rollout_ref.actor.strategy=fsdp2 \
  actor_rollout_ref.actor.optim.lr=5e-6 \
  actor_rollout_ref.actor.ppo_mini_batch_size=64 \
  actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu="$MICRO_BATCH" \
  actor_rollout_ref.actor.use_kl_loss=True \
  actor_rollout_ref.actor.kl_loss_coef=0.001 \
  actor_rollout_ref.actor.kl_loss_type=low_var_kl \
  actor_rollout_ref.actor.entropy_coeff=0 \
  actor_rollout_ref.actor.fsdp_config.param_offload=False \
  actor_rollout_ref.actor.fsdp_config.optimizer_offload=False \
  actor_rollout_ref.ref.fsdp_config.param_offload=True \
  actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu="$MICRO_BATCH" \
  actor_rollout_ref.rollout.name=vllm \
  actor_rollout_ref.rollout.n=8 \
  actor_rollout_ref.rollout.temperature=0.7 \
  actor_rollout_ref.rollout.tensor_model_parallel_size=1 \
  actor_rollout_ref.rollout.gpu_memory_utilization=0.5 \
  actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu="$MICRO_BATCH" \
  custom_reward_function.path=verl/reward.py \
  custom_reward_function.name=compute_score \
  ++custom_reward_function.reward_kwargs.format_weight="$FORMAT_WEIGHT" \
  trainer.critic_warmup=0 \
  trainer.logger='["console"]' \
  trainer.project_name=pluralscope \
  trainer.experiment_name=grpo \
  trainer.n_gpus_per_node="$GPUS_PER_NODE" \
  trainer.nnodes="$NNODES" \
  trainer.val_before_train=False \
  trainer.save_freq=-1 \
  trainer.test_freq=-1 \
  trainer.total_epochs=1 \
  trainer.default_local_dir="$OUT" \
  "$@"
# bf16: VeRL's FSDP engine computes in bfloat16 (fsdp_config.dtype) with float32 master weights.
# The DVMap release script also stored the weights in bf16 (fsdp_config.model_dtype=bf16); add
# actor_rollout_ref.actor.fsdp_config.model_dtype=bf16 to match it exactly.
