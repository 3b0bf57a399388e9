# Environment of Tandem's processes in native mode (no Docker engine): every service on this
# machine, on the PostgreSQL adapters. Sourced by scripts/up.sh and friends. Every value can be
# overridden from the environment (the system tests run a second copy on other ports).
: "${TANDEM_HOST:=127.0.0.1}"
DEFAULT_PG_URL=postgres://postgres@127.0.0.1:5432 DEFAULT_NATS_URL=nats://127.0.0.1:4222
: "${PG_URL:=$DEFAULT_PG_URL}"
: "${NATS_URL:=$DEFAULT_NATS_URL}"
: "${NATS_NAMESPACE:=}"
: "${TANDEM_RUN_DIR:=$PWD/.run/native}"
: "${TANDEM_DB_PREFIX:=tandem}"
: "${WEB_PORT:=3000}" "${AUTH_PORT:=4001}" "${PROFILE_PORT:=4002}"
# SESSION_PORT is the public session address: HAProxy, in front of the two session-service
# replicas on internal ports. Browsers, web and the tests reach sessions only through it.
: "${SESSION_PORT:=4003}" "${SESSION_REPLICA_1_PORT:=4103}" "${SESSION_REPLICA_2_PORT:=4113}"
# /usr/sbin is not on every user's PATH; ensure-system.sh installs haproxy there
: "${HAPROXY_BIN:=$(command -v haproxy || echo /usr/sbin/haproxy)}"
export NATS_URL NATS_NAMESPACE

AUTH_URL="http://$TANDEM_HOST:$AUTH_PORT"
PROFILE_URL="http://$TANDEM_HOST:$PROFILE_PORT"
SESSION_URL="http://$TANDEM_HOST:$SESSION_PORT"
WEB_URL="http://$TANDEM_HOST:$WEB_PORT"
AUTH_DB=${TANDEM_DB_PREFIX}_auth PROFILE_DB=${TANDEM_DB_PREFIX}_profile SESSION_DB=${TANDEM_DB_PREFIX}_session
DATABASES=("$AUTH_DB" "$PROFILE_DB" "$SESSION_DB")
JWKS="AUTH_JWKS_URL=$AUTH_URL/.well-known/jwks.json AUTH_ISSUER=$AUTH_URL CORS_ORIGINS=$WEB_URL"
# both session-service replicas sign invite links with the key in this file (the first one to start writes it)
SESSION_SECRETS="INVITE_SECRET_FILE=$TANDEM_RUN_DIR/data/session/invite-secret"
# The replicas listen on loopback only, behind the balancer, and believe X-Forwarded-For (the
# client's address, for per-address limits) only from there: the balancer, and web behind it.
SESSION_REPLICA="HOST=127.0.0.1 TRUSTED_PROXIES=127.0.0.1"
# written by up.sh with service-kit's generator; its admin socket answers `show stat`
BALANCER_CONFIG=$TANDEM_RUN_DIR/haproxy.cfg BALANCER_SOCKET=$TANDEM_RUN_DIR/haproxy.sock

# name | port | command | extra environment (space-separated KEY=VALUE; HOST here overrides
# TANDEM_HOST), started in this order
# auth-service trusts X-Forwarded-For from 127.0.0.1 only: the web server, whose calls to it come from there
PROCESSES=(
  "auth-service|$AUTH_PORT|node --import tsx auth-service/src/server.ts|DATABASE_URL=$PG_URL/$AUTH_DB AUTH_ISSUER=$AUTH_URL AUTH_DATA_DIR=$TANDEM_RUN_DIR/data/auth CORS_ORIGINS=$WEB_URL TRUSTED_PROXIES=127.0.0.1"
  "profile-service|$PROFILE_PORT|node --import tsx profile-service/src/server.ts|PROFILE_STORE_URL=$PG_URL/$PROFILE_DB $JWKS"
  "session-service-1|$SESSION_REPLICA_1_PORT|node --import tsx session-service/src/server.ts|EVENT_STORE_URL=$PG_URL/$SESSION_DB REPLICA_ID=session-1 $JWKS $SESSION_SECRETS $SESSION_REPLICA"
  "session-service-2|$SESSION_REPLICA_2_PORT|node --import tsx session-service/src/server.ts|EVENT_STORE_URL=$PG_URL/$SESSION_DB REPLICA_ID=session-2 $JWKS $SESSION_SECRETS $SESSION_REPLICA"
  "session-balancer|$SESSION_PORT|$HAPROXY_BIN -db -f $BALANCER_CONFIG|"
  "web|$WEB_PORT|node web/build|AUTH_URL=$AUTH_URL PROFILE_URL=$PROFILE_URL SESSION_URL=$SESSION_URL PUBLIC_SESSION_URL=$SESSION_URL ORIGIN=$WEB_URL"
)

pid_file() { echo "$TANDEM_RUN_DIR/pids/$1.pid"; }
log_file() { echo "$TANDEM_RUN_DIR/logs/$1.log"; }
# A process that has exited stays a zombie until its parent (here init) reaps it, which some
# machines' init does only every second or two: a zombie counts as stopped.
pid_alive() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }
is_running() { local f; f=$(pid_file "$1"); [ -f "$f" ] && pid_alive "$(cat "$f")"; }
