#!/usr/bin/env bash
# make ps: lists Tandem's processes (native mode) or containers (Compose).
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1; then exec docker compose ps; fi
source scripts/native/env.sh
printf '%-20s %-7s %-8s %s\n' PROCESS PORT PID STATE
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name port _ <<<"$entry"
  pid=$(cat "$(pid_file "$name")" 2>/dev/null || echo -)
  state=stopped; is_running "$name" && state=running
  printf '%-20s %-7s %-8s %s\n' "$name" "$port" "$pid" "$state"
done
