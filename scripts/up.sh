#!/usr/bin/env bash
# make up: Docker Compose when a Docker engine answers, native processes otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1; then
  docker compose up -d --build --wait
  echo "Tandem is running (Docker Compose): http://localhost:3000"
  exit 0
fi
exec scripts/native/up.sh
