#!/usr/bin/env bash
# Serves an AlphaLoom file store with the real MLflow UI (.venv-mlflow) on 127.0.0.1 and takes
# headless-Chromium screenshots of a run's page, its metric chart and the registered model, to
# look at what a person sees.
#   scripts/mlflow_ui_screenshot.sh STORE RUN_ID MODEL_NAME OUT_DIR
# Needs the Debian package chromium. Writes OUT_DIR/{run,params,metric,artifacts,model}.png.
set -euo pipefail
store=$(realpath "$1"); run_id=$2; model=$3; out=$(realpath -m "$4")
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
experiment_id=$(basename "$(dirname "$(ls -d "$store"/*/"$run_id")")")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MLFLOW_ALLOW_FILE_STORE=true setsid "$root/.venv-mlflow/bin/mlflow" server --host 127.0.0.1 --port "$port" \
  --workers 1 --backend-store-uri "file://$store" >"$out/server.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
shot() {  # shot NAME URL [HEIGHT]
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,"${3:-1100}" \
    --virtual-time-budget=20000 --screenshot="$out/$1.png" "$2" >/dev/null 2>&1
  echo "$out/$1.png"
}
base="http://127.0.0.1:$port/#"
shot run "$base/experiments/$experiment_id/runs/$run_id"
shot params "$base/experiments/$experiment_id/runs/$run_id" 4000
shot metric "$base/experiments/$experiment_id/runs/$run_id/model-metrics"
shot artifacts "$base/experiments/$experiment_id/runs/$run_id/artifacts/model"
shot model "$base/models/$model"
