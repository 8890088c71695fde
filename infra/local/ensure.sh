#!/usr/bin/env bash
# Makes this machine ready to run or test BrowserPane. Idempotent and quick when all is in place:
#   1. Debian packages (X, Chromium, GStreamer, PulseAudio, PostgreSQL, Redis, NATS) when missing
#   2. npm packages (npm ci) when node_modules is missing or older than package-lock.json
#   3. PostgreSQL, Redis and NATS (JetStream) on loopback when they are not reachable
# Settings: BPANE_PG_URL, BPANE_REDIS_URL, BPANE_NATS_URL (defaults: the loopback services).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STATE="$ROOT/.bpane/local"
mkdir -p "$STATE"

log() { printf '[ensure] %s\n' "$*"; }

APT_PACKAGES=(
  xvfb openbox chromium xdotool x11-utils xauth
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-x gstreamer1.0-pulseaudio libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev pulseaudio ffmpeg
  postgresql redis-server nats-server
  build-essential python3 pkg-config docker-compose
  fonts-dejavu-core curl
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/apt.log" 2>&1 ||
      { tail -n 30 "$STATE/apt.log"; log "apt-get install failed (full log: $STATE/apt.log)"; exit 1; }
  else
    log "missing Debian packages: ${missing[*]}"
    log "run as root, or install them with: sudo apt-get install ${missing[*]}"
    exit 1
  fi
fi

# npm packages
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    # npm 11 refuses a lock file that lacks optional packages for other platforms (darwin, win32)
    # when the registry it resolved against did not list them; npm install installs the very
    # versions the lock file pins and leaves it unchanged.
    log "npm ci refused the lock file; installing the locked versions with npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_port() {
  local host=$1 port=$2 name=$3 i
  for i in $(seq 1 100); do port_open "$host" "$port" && return 0; sleep 0.1; done
  log "$name did not come up on $host:$port"; return 1
}

# PostgreSQL
if ! port_open 127.0.0.1 5432; then
  log "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
  if ! port_open 127.0.0.1 5432; then
    bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    data="$STATE/pg"
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data" && chown postgres "$data" "$STATE"
      su postgres -c "$bin/initdb -D $data -U postgres --auth=trust -E UTF8" >/dev/null
    fi
    su postgres -c "$bin/pg_ctl -D $data -o '-p 5432 -k /tmp -c listen_addresses=127.0.0.1' -l $data/pg.log start" >/dev/null
  fi
  wait_port 127.0.0.1 5432 PostgreSQL
fi
for db in bpane test; do
  psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -qc "create database $db" >/dev/null
done

# Redis
if ! port_open 127.0.0.1 6379; then
  log "starting Redis"
  mkdir -p "$STATE/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no --dir "$STATE/redis" \
    --logfile "$STATE/redis/redis.log"
  wait_port 127.0.0.1 6379 Redis
fi

# NATS with JetStream
if ! port_open 127.0.0.1 4222; then
  log "starting NATS (JetStream)"
  mkdir -p "$STATE/nats"
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd "$STATE/nats" -l "$STATE/nats/nats.log"
  wait_port 127.0.0.1 4222 NATS
fi

# Nx project graph (read by the module-boundary lint rule), offline and without a daemon.
NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx show projects >/dev/null 2>&1 || true
log "ready"
