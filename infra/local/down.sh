#!/usr/bin/env bash
# Stops the services that `npm run up` started (PostgreSQL, Redis and NATS keep running).
set -uo pipefail
cd "$(dirname "$0")/../.."
RUN=.bpane/run
[ -d "$RUN" ] || { echo "[down] nothing running"; exit 0; }
for pidfile in "$RUN"/*.pid; do
  [ -f "$pidfile" ] || continue
  svc=$(basename "$pidfile" .pid)
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    echo "[down] stopped $svc"
  fi
  rm -f "$pidfile"
done
