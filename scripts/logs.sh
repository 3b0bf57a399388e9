#!/usr/bin/env bash
# make logs: follows the logs of whichever mode is running.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1 && [ -n "$(docker compose ps -q 2>/dev/null)" ]; then exec docker compose logs -f; fi
source scripts/native/env.sh
compgen -G "$TANDEM_RUN_DIR/logs/*.log" >/dev/null || { echo "no logs yet: run make up"; exit 0; }
exec tail -n 50 -F "$TANDEM_RUN_DIR"/logs/*.log
