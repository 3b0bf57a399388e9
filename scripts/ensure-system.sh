#!/usr/bin/env bash
# Makes sure this machine has what `make test` or `make up` needs beyond npm packages, and that
# PostgreSQL and nats-server (JetStream) answer on 127.0.0.1. On Debian as root, whatever is
# missing is installed with apt-get and started; otherwise one line says what is missing and the
# command that installs it, and the exit status is 1.
#
#   scripts/ensure-system.sh test   # PostgreSQL, NATS, HAProxy, chromium + fonts, docker-compose (config check), ffmpeg
#   scripts/ensure-system.sh up     # PostgreSQL, NATS, HAProxy (the session balancer)
set -uo pipefail

purpose=${1:-test}
case "$purpose" in test|up) ;; *) echo "usage: $0 test|up" >&2; exit 2 ;; esac
PG_HOST=127.0.0.1 PG_PORT=5432 NATS_HOST=127.0.0.1 NATS_PORT=4222

say() { echo "system: $*"; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# package -> the file that shows it is installed
declare -A provides=(
  [postgresql]=/usr/bin/pg_isready
  [nats-server]=/usr/sbin/nats-server
  [chromium]=/usr/bin/chromium
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  [docker-compose]=/usr/bin/docker-compose
  [ffmpeg]=/usr/bin/ffmpeg
  [haproxy]=/usr/sbin/haproxy
)
wanted=()
# a server already answering needs no package (it may run elsewhere, or from another install)
answers "$PG_HOST" "$PG_PORT" || wanted+=(postgresql)
answers "$NATS_HOST" "$NATS_PORT" || wanted+=(nats-server)
wanted+=(haproxy)
[ "$purpose" = test ] && wanted+=(chromium fonts-dejavu-core docker-compose ffmpeg)

missing=()
for package in ${wanted[@]+"${wanted[@]}"}; do
  [ -e "${provides[$package]}" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    why="not root"; command -v apt-get >/dev/null || why="no apt-get"
    echo "system: missing ${missing[*]} ($why); install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  say "installing ${missing[*]} with apt-get (once per machine; chromium takes a minute or two)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "system: apt-get install ${missing[*]} failed; run it by hand to see why" >&2
    exit 1
  fi
fi

cluster_version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ -n "$cluster_version" ]; then
  # The cluster apt-get just made asks loopback clients for a password; Tandem's tests and native
  # mode connect as postgres without one, as on a development machine.
  hba=/etc/postgresql/$cluster_version/main/pg_hba.conf
  say "new PostgreSQL cluster: trusting connections from this machine's loopback ($hba)"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  # its package may have started it already, with the old rules
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main reload 2>/dev/null || true
fi
if ! answers "$PG_HOST" "$PG_PORT"; then
  if [ -z "$cluster_version" ]; then
    echo "system: PostgreSQL is installed but has no cluster in /etc/postgresql; create one with: pg_createcluster 15 main" >&2
    exit 1
  fi
  say "starting PostgreSQL $cluster_version"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start || true
fi

if ! answers "$NATS_HOST" "$NATS_PORT"; then
  say "starting nats-server with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a "$NATS_HOST" -p "$NATS_PORT" -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi

for _ in $(seq 1 100); do
  answers "$PG_HOST" "$PG_PORT" && answers "$NATS_HOST" "$NATS_PORT" && break
  sleep 0.2
done
answers "$PG_HOST" "$PG_PORT" || { echo "system: PostgreSQL does not answer on $PG_HOST:$PG_PORT; see /var/log/postgresql/" >&2; exit 1; }
answers "$NATS_HOST" "$NATS_PORT" || { echo "system: nats-server does not answer on $NATS_HOST:$NATS_PORT; see /var/log/nats-server.log" >&2; exit 1; }
exit 0
