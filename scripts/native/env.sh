# Environment of Tandem's processes in native mode (no Docker engine): every service on this
# machine, on the PostgreSQL adapters. Sourced by scripts/up.sh and friends.
: "${TANDEM_HOST:=127.0.0.1}"
: "${PG_URL:=postgres://postgres@127.0.0.1:5432}"
: "${NATS_URL:=nats://127.0.0.1:4222}"
: "${TANDEM_RUN_DIR:=$PWD/.run/native}"
: "${WEB_PORT:=3000}"
export NATS_URL

AUTH_URL="http://$TANDEM_HOST:4001"
PROFILE_URL="http://$TANDEM_HOST:4002"
SESSION_URL="http://$TANDEM_HOST:4003"
SESSION_URL_2="http://$TANDEM_HOST:4013"
WEB_URL="http://$TANDEM_HOST:$WEB_PORT"
DATABASES=(tandem_auth tandem_profile tandem_session)

# name | port | command | extra environment (space-separated KEY=VALUE)
PROCESSES=(
  "auth-service|4001|node --import tsx auth-service/src/server.ts|DATABASE_URL=$PG_URL/tandem_auth AUTH_ISSUER=$AUTH_URL AUTH_DATA_DIR=$TANDEM_RUN_DIR/data/auth CORS_ORIGINS=$WEB_URL"
  "profile-service|4002|node --import tsx profile-service/src/server.ts|PROFILE_STORE_URL=$PG_URL/tandem_profile AUTH_JWKS_URL=$AUTH_URL/.well-known/jwks.json AUTH_ISSUER=$AUTH_URL CORS_ORIGINS=$WEB_URL"
  "session-service-1|4003|node --import tsx session-service/src/server.ts|EVENT_STORE_URL=$PG_URL/tandem_session AUTH_JWKS_URL=$AUTH_URL/.well-known/jwks.json AUTH_ISSUER=$AUTH_URL REPLICA_ID=session-1 CORS_ORIGINS=$WEB_URL"
  "session-service-2|4013|node --import tsx session-service/src/server.ts|EVENT_STORE_URL=$PG_URL/tandem_session AUTH_JWKS_URL=$AUTH_URL/.well-known/jwks.json AUTH_ISSUER=$AUTH_URL REPLICA_ID=session-2 CORS_ORIGINS=$WEB_URL"
  "web|$WEB_PORT|node web/build|AUTH_URL=$AUTH_URL PROFILE_URL=$PROFILE_URL SESSION_URL=$SESSION_URL PUBLIC_SESSION_URL=$SESSION_URL ORIGIN=$WEB_URL"
)

pid_file() { echo "$TANDEM_RUN_DIR/pids/$1.pid"; }
log_file() { echo "$TANDEM_RUN_DIR/logs/$1.log"; }
is_running() { local f; f=$(pid_file "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
