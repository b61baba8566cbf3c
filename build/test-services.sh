#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL and Redis for the tests that need them:
#   build/test-services.sh dotnet test Switchboard.slnx -c Release
# Installs the Debian packages when missing, starts both on free loopback ports from a temporary folder (no system
# service, no persistence, fsync off), exports
#   SWITCHBOARD_TEST_POSTGRES  an Npgsql connection string; its user may create databases
#   SWITCHBOARD_TEST_REDIS     host:port
# runs the command, then stops both and removes the folder, whatever happened; exits with the command's code.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: build/test-services.sh <command> [args...]" >&2
  exit 2
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

find_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

missing=()
[ -n "$(find_pg_bin)" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-services: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  # Only the binaries are wanted: no system service started by the packages (policy-rc.d says no while they
  # install) and no default cluster created by postgresql-common.
  no_services=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    no_services=1
  fi
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
    as_root sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$no_services" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
fi
PG_BIN=$(find_pg_bin)

# A loopback port nothing listens on (a race with another program is possible but unlikely).
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

WORK=$(mktemp -d /tmp/switchboard-test-services.XXXXXX)
chmod 755 "$WORK"
PG_DATA="$WORK/pg"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
while [ "$REDIS_PORT" = "$PG_PORT" ]; do REDIS_PORT=$(free_port); done
PG_USER=$(id -un)

# initdb refuses root: run PostgreSQL as the postgres user then.
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then
  PG_USER=postgres
  chown postgres "$WORK"
fi

cleanup() {
  local code=$?
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  local redis_pid
  redis_pid=$(cat "$WORK/redis.pid" 2>/dev/null || true)
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" -A trust -E UTF8 --no-instructions >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$WORK/pg.log" >&2; exit 1; }

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 100); do
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then break; fi
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null || { cat "$WORK/redis.log" >&2; exit 1; }

export SWITCHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Database=postgres;Pooling=true"
export SWITCHBOARD_TEST_REDIS="127.0.0.1:$REDIS_PORT"
echo "test-services: PostgreSQL on 127.0.0.1:$PG_PORT, Redis on $SWITCHBOARD_TEST_REDIS" >&2

set +e
"$@"
code=$?
set -e
exit $code
