#!/usr/bin/env bash
# Starts BrowserPane on this machine with the embedded defaults: PostgreSQL event store, read models
# in the same database, NATS JetStream, Redis, the embedded OpenID provider and the `local` runtime
# backend. Installs and starts dependencies first (ensure.sh), builds, then starts every service in
# the background. Logs: .bpane/logs/<service>.log; stop with `npm run down`.
# Options: --foreground  keep running and stop everything on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FOREGROUND=0
for arg in "$@"; do
  case "$arg" in
    --foreground) FOREGROUND=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

bash infra/local/ensure.sh
echo "[up] building services"
node scripts/build.mjs >/dev/null

RUN="$ROOT/.bpane/run"
LOGS="$ROOT/.bpane/logs"
mkdir -p "$RUN" "$LOGS"

export BPANE_PG_URL="${BPANE_PG_URL:-postgres://postgres@127.0.0.1:5432/bpane}"
export BPANE_NATS_URL="${BPANE_NATS_URL:-nats://127.0.0.1:4222}"
export BPANE_REDIS_URL="${BPANE_REDIS_URL:-redis://127.0.0.1:6379}"
export BPANE_DATA_DIR="${BPANE_DATA_DIR:-$ROOT/.bpane/data}"

# Start order matters: the issuer before the gateway, the projector before anything reads.
SERVICES=(dev-idp projector publisher webhook-dispatcher workflow-worker recording-worker gateway)

started=()
for svc in "${SERVICES[@]}"; do
  bundle="dist/services/$svc/main.mjs"
  [ -f "$bundle" ] || continue
  pidfile="$RUN/$svc.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "[up] $svc already running (pid $(cat "$pidfile"))"
    continue
  fi
  nohup node --enable-source-maps "$bundle" >>"$LOGS/$svc.log" 2>&1 &
  echo $! >"$pidfile"
  started+=("$svc")
  echo "[up] started $svc (pid $!, log .bpane/logs/$svc.log)"
  sleep 0.3
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "[up] $svc exited at once; last lines of its log:" >&2
    tail -n 20 "$LOGS/$svc.log" >&2
    exit 1
  fi
done

# Wait for the HTTP services to answer.
wait_http() {
  local url=$1 name=$2 i
  for i in $(seq 1 100); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "[up] $name did not answer at $url; see .bpane/logs/$name.log" >&2
  return 1
}
[ -f dist/services/dev-idp/main.mjs ] && wait_http "http://127.0.0.1:8090/.well-known/openid-configuration" dev-idp
[ -f dist/services/gateway/main.mjs ] && wait_http "http://127.0.0.1:8080/healthz" gateway

cat <<MSG

BrowserPane is running.
  admin console:  http://localhost:8080/admin/
  API:            http://localhost:8080/api/v1/
  OpenID issuer:  http://127.0.0.1:8090   (login: demo / demo-demo)
  logs:           .bpane/logs/
  stop:           npm run down
MSG

if ((FOREGROUND)); then
  trap 'bash infra/local/down.sh; exit 0' INT TERM
  echo "(foreground: Ctrl-C stops everything)"
  while true; do sleep 3600; done
fi
