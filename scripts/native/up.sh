#!/usr/bin/env bash
# Native mode: every Tandem process on this machine against a local PostgreSQL and nats-server.
# Running it again is harmless: what runs already is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/native/env.sh

missing() { echo "make up: $1" >&2; exit 1; }
# the local PostgreSQL and nats-server (installed and started here when missing, as root on Debian)
if [ "$PG_URL" = "$DEFAULT_PG_URL" ] && [ "$NATS_URL" = "$DEFAULT_NATS_URL" ]; then
  scripts/ensure-system.sh up || exit 1
fi
command -v node >/dev/null || missing "Node.js 20 is not installed (apt-get install nodejs, or see nodejs.org)"
[ -x "$HAPROXY_BIN" ] || missing "HAProxy (the session balancer) is not installed: apt-get install haproxy, or run scripts/ensure-system.sh up as root"
command -v psql >/dev/null || missing "psql is not installed: apt-get install postgresql-client (and postgresql for the server)"

psql "$PG_URL/postgres" -qtAc 'SELECT 1' >/dev/null 2>&1 \
  || missing "PostgreSQL does not answer at $PG_URL: start it (pg_ctlcluster 15 main start) or set PG_URL"
nats_host_port=${NATS_URL#nats://}
(exec 3<>"/dev/tcp/${nats_host_port%:*}/${nats_host_port##*:}") 2>/dev/null \
  || { command -v nats-server >/dev/null || missing "nats-server is not installed: apt-get install nats-server"
       missing "nats-server does not answer at $NATS_URL: start it with 'nats-server -js' or set NATS_URL"; }

mkdir -p "$TANDEM_RUN_DIR/pids" "$TANDEM_RUN_DIR/logs" "$TANDEM_RUN_DIR/data/auth" "$TANDEM_RUN_DIR/data/session"
for db in "${DATABASES[@]}"; do
  if [ -z "$(psql "$PG_URL/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    echo "creating database $db"
    psql "$PG_URL/postgres" -qc "CREATE DATABASE \"$db\"" >/dev/null
  fi
done

if ! is_running session-balancer; then
  node --import tsx scripts/balancer-config.ts native --bind "$TANDEM_HOST:$SESSION_PORT" --admin-socket "$BALANCER_SOCKET" \
    --server "127.0.0.1:$SESSION_REPLICA_1_PORT" --server "127.0.0.1:$SESSION_REPLICA_2_PORT" >"$BALANCER_CONFIG.new"
  mv "$BALANCER_CONFIG.new" "$BALANCER_CONFIG"
fi

scripts/build-web.sh "$TANDEM_RUN_DIR/logs/web-build.log" || missing "web build failed: see $TANDEM_RUN_DIR/logs/web-build.log"

for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name port command extra <<<"$entry"
  if is_running "$name"; then echo "$name already running"; continue; fi
  echo "starting $name on port $port"
  # shellcheck disable=SC2086 # extra is a list of KEY=VALUE words
  env PORT="$port" HOST="$TANDEM_HOST" LOG_LEVEL="${LOG_LEVEL:-info}" $extra \
    nohup $command >>"$(log_file "$name")" 2>&1 &
  echo $! >"$(pid_file "$name")"
done

echo "waiting for every service to be ready"
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name port _ extra <<<"$entry"
  host=$TANDEM_HOST; [[ " $extra " =~ \ HOST=([^ ]+)\  ]] && host=${BASH_REMATCH[1]}
  path=/readyz; [ "$name" = web ] && path=/
  for i in $(seq 1 150); do
    curl -fsS -o /dev/null "http://$host:$port$path" 2>/dev/null && break
    if ! is_running "$name"; then
      echo "$name exited; last lines of $(log_file "$name"):" >&2; tail -20 "$(log_file "$name")" >&2; exit 1
    fi
    [ "$i" -eq 150 ] && { echo "$name is not ready after 30 s; see $(log_file "$name")" >&2; exit 1; }
    sleep 0.2
  done
done

node --import tsx scripts/native/balancer-ready.ts "$BALANCER_SOCKET" \
  || { echo "see $(log_file session-balancer)" >&2; exit 1; }

echo "sessions: $SESSION_URL (HAProxy over 2 replicas on ports $SESSION_REPLICA_1_PORT and $SESSION_REPLICA_2_PORT)"
echo "Tandem is running in native mode (no Docker engine found; PostgreSQL adapters): $WEB_URL — logs in $TANDEM_RUN_DIR/logs, stop with make down"
