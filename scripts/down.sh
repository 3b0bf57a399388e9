#!/usr/bin/env bash
# make down: stops what `make up` started, in either mode. Data stays in place.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1 && [ -n "$(docker compose ps -q 2>/dev/null)" ]; then
  docker compose down
fi
source scripts/native/env.sh
stopped=0
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name _ <<<"$entry"
  f=$(pid_file "$name")
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for i in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name"; stopped=$((stopped + 1))
  fi
  rm -f "$f"
done
echo "Tandem stopped ($stopped native processes); data is kept"
