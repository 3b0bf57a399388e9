#!/usr/bin/env bash
# Runs every test suite of Tandem one after the other and ends with one line
# `N passed, N failed` summed over all of them. Logs: .run/test/<suite>.log
# Usage: scripts/test-all.sh [suite ...]   (default: all suites)
set -uo pipefail
cd "$(dirname "$0")/.."
log_dir=.run/test
mkdir -p "$log_dir"

# suite name -> directory that holds its tap suite
declare -A suite_dirs=(
  [typecheck]=.
  [deps]=.
  [contracts]=packages/contracts
  [service-kit]=packages/service-kit
  [auth-service]=auth-service
  [profile-service]=profile-service
  [session-service]=session-service
  [web]=web
  [web-e2e]=web
  [system]=system-test
  [reliability]=reliability
  [bench]=bench
)
# suites that run something other than the package's tap suite
declare -A suite_commands=(
  [typecheck]="npm run -s typecheck"
  [deps]="npm run -s check:deps"
  [web-e2e]="npm run -s test:e2e -- --reporter=tap"
)
# suites that are one check, not tap: one pass or one failure by their exit status
declare -A single_checks=([typecheck]=1 [deps]=1)
order=(typecheck deps contracts service-kit auth-service profile-service session-service web bench system reliability web-e2e)
[ $# -gt 0 ] && order=("$@")

total_pass=0 total_fail=0 total_skip=0 failed_suites=()
for suite in "${order[@]}"; do
  dir=${suite_dirs[$suite]:-}
  if [ -z "$dir" ]; then echo "unknown suite: $suite (known: ${!suite_dirs[*]})" >&2; exit 2; fi
  # no coverage report: make test reads none, and collecting it costs a fifth of a suite's time
  command=${suite_commands[$suite]:-npx tap --reporter=tap --disable-coverage}
  echo "== $suite ($dir: $command)"
  start=$(date +%s)
  # the full TAP stream goes to the log; the screen gets comments, failures and the summary
  (cd "$dir" && $command) >"$log_dir/$suite.log" 2>&1
  status=$?
  grep -E '^\s*# (Subtest|time=)' -v "$log_dir/$suite.log" | grep -E '^\s{0,4}# ' | grep -vE '^# \{' | head -40
  grep -E '^\s*ok .*# SKIP' "$log_dir/$suite.log" | sed -E 's/^\s+//' | head -20
  if grep -qE '^\s*not ok' "$log_dir/$suite.log"; then
    grep -E -A30 '^\s*not ok' "$log_dir/$suite.log" | head -150
  fi
  if [ -n "${single_checks[$suite]:-}" ]; then
    skip=0; if [ "$status" -eq 0 ]; then pass=1 fail=0; else pass=0 fail=1; tail -40 "$log_dir/$suite.log"; fi
  else
    # tap's closing summary: "# { total: 12, pass: 11, fail: 1, skip: 2 }"
    summary=$(grep -E '^# \{ total: [0-9]+' "$log_dir/$suite.log" | tail -1)
    pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary"); pass=${pass:-0}
    fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary"); fail=${fail:-0}
    skip=$(sed -nE 's/.*skip: ([0-9]+).*/\1/p' <<<"$summary"); skip=${skip:-0}
  fi
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi # crashed before its summary
  echo "== $suite: $pass passed, $fail failed, $skip skipped in $(( $(date +%s) - start ))s"
  total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail)); total_skip=$((total_skip + skip))
  [ "$fail" -gt 0 ] && failed_suites+=("$suite")
done

[ ${#failed_suites[@]} -gt 0 ] && echo "failing suites: ${failed_suites[*]} (logs in $log_dir/)"
line="$total_pass passed, $total_fail failed, $total_skip skipped"
echo "$line" > "$log_dir/summary.txt"
echo "$line"
[ "$total_fail" -eq 0 ]
