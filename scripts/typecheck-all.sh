#!/usr/bin/env bash
# Type-checks every workspace that has a typecheck script, two at a time (the longest first), and
# prints the output of each that fails. Exit status 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
workspaces=$(node -e '
  const { existsSync, readFileSync, readdirSync } = require("node:fs")
  const root = JSON.parse(readFileSync("package.json", "utf8"))
  // a workspace entry is a folder or "folder/*"
  const folders = root.workspaces.flatMap((w) =>
    w.endsWith("/*") ? readdirSync(w.slice(0, -2)).map((name) => `${w.slice(0, -1)}${name}`) : [w])
  const longestFirst = ["web", "session-service", "auth-service", "profile-service", "bench"]
  const rank = (w) => longestFirst.indexOf(w) + 1 || longestFirst.length + 1
  const checked = folders
    .filter((w) => existsSync(`${w}/package.json`) && JSON.parse(readFileSync(`${w}/package.json`, "utf8")).scripts?.typecheck)
    .sort((a, b) => rank(a) - rank(b))
  console.log(checked.join("\n"))
') && [ -n "$workspaces" ] || { echo "typecheck: could not list the workspaces" >&2; exit 1; }
# shellcheck disable=SC2016 # $1 and $out belong to the inner shell
printf '%s\n' $workspaces | xargs -P 2 -I{} bash -c '
  if out=$(cd "$1" && npm run -s typecheck 2>&1); then echo "typecheck $1: ok"
  else printf "typecheck %s: FAILED\n%s\n" "$1" "$out"; exit 1; fi' _ {}
