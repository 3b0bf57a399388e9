#!/usr/bin/env bash
# make down: stops what `make up` started, in either mode. Data stays in place.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1 && [ -n "$(docker compose ps -q 2>/dev/null)" ]; then
  docker compose down
fi
source scripts/native/env.sh
# every process is asked to stop first, then each is waited for (up to 15 s, then killed): the
# processes close gracefully side by side instead of one after the other
names=() pids=()
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name _ <<<"$entry"
  f=$(pid_file "$name")
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  rm -f "$f"
  pid_alive "$pid" || continue
  kill -TERM "$pid" 2>/dev/null || continue
  names+=("$name") pids+=("$pid")
done
deadline=$((SECONDS + 15))
for i in "${!pids[@]}"; do
  while pid_alive "${pids[$i]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  pid_alive "${pids[$i]}" && kill -KILL "${pids[$i]}" 2>/dev/null
  echo "stopped ${names[$i]}"
done
echo "Tandem stopped (${#pids[@]} native processes); data is kept"
