#!/usr/bin/env bash
# Runs the training bundle's smoke_test.sh (every method for two optimizer steps with the real TRL on
# a tiny random Qwen2, on CPU, then eval_server.py) in .venv-bundle, which scripts/bundle-env.sh
# makes. Says SKIPPED, and exits 0, where that environment does not exist, unless
# PLURALSCOPE_REQUIRE_BUNDLE_ENV=1 (set by .ci/run once it made the environment): then it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BUNDLE_VENV:-.venv-bundle}
echo "== bundle smoke_test.sh (real TRL, CPU)"
if ! { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import trl, accelerate' >/dev/null 2>&1; }; then
  if [ "${PLURALSCOPE_REQUIRE_BUNDLE_ENV:-}" = 1 ]; then
    echo "no training environment in $VENV, but PLURALSCOPE_REQUIRE_BUNDLE_ENV=1 says it is installed" >&2
    exit 1
  fi
  echo "no training environment in $VENV (bash scripts/bundle-env.sh makes one): smoke_test.sh was SKIPPED"
  exit 0
fi
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
start=$SECONDS
# The trainers' progress bars and warnings go to the log; it is printed whole only on failure.
if ! PATH="$PWD/$VENV/bin:$PATH" bash src/bundle/template/smoke_test.sh >"$LOG" 2>&1; then
  cat "$LOG"
  echo "smoke_test.sh FAILED" >&2
  exit 1
fi
grep -E '^(== |   |steps |same distributions|.* differ \(|[a-z]+\.parquet: |same losses |same adapter |nodes=|[a-z0-9_]+\.yaml: |on 2 machines |smoke test passed)' "$LOG"
echo "$("$VENV/bin/python" -c 'import torch, transformers, trl; print("torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__)'); $((SECONDS - start)) s"
