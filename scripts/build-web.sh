#!/usr/bin/env bash
# Builds the web front end into web/build unless that build is newer than everything it is made
# of (web's sources, static files and configuration, the contracts it imports, the lock file), so
# that `make up` and the browser tests of one `make test` build it once between them.
# Usage: scripts/build-web.sh [log file]   (the build's output goes to the log file if given)
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=(web/src web/static web/vite.config.ts web/svelte.config.js packages/contracts/src package-lock.json)
if [ -f web/build/index.js ] && [ -z "$(find "${inputs[@]}" -newer web/build/index.js -print -quit 2>/dev/null)" ]; then
  exit 0
fi
echo "building web"
if [ $# -gt 0 ]; then npm run build -w @tandem/web >"$1" 2>&1; else npm run build -w @tandem/web; fi
