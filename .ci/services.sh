#!/usr/bin/env bash
# Starts the throwaway servers that the integration tests need and prints the variables that point them
# at them:
#
#   eval "$(bash .ci/services.sh)"              # both
#   eval "$(bash .ci/services.sh redis)"        # only the ones named: postgresql, redis
#
# PostgreSQL: installs it from Debian's packages when its server binaries are missing, runs the cluster
# as the unprivileged `postgres` user (the server refuses to run as root), listens on 127.0.0.1 only, and
# creates role `tokenwise` (password `tokenwise`) owning database `tokenwise`; exports
# TOKENWISE_TEST_PG_URL.
#
# Redis: installs Debian's `redis-server` package when the binary is missing, runs one server without
# persistence on 127.0.0.1 and a free port from 6390 up; exports TOKENWISE_TEST_REDIS_URL.
#
# A second run reuses the running servers. Only the export lines go to stdout; progress and errors go to
# stderr.
set -euo pipefail

ROOT="${TOKENWISE_PG_ROOT:-/tmp/tokenwise-pg}"
DATA="$ROOT/data"
RUN="$ROOT/run"
LOG="$ROOT/postgresql.log"
START_TIMEOUT=60

REDIS_ROOT="${TOKENWISE_REDIS_ROOT:-/tmp/tokenwise-redis}"

say() { echo "services.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# The newest server binaries: on PATH first, then Debian's versioned folders.
find_bindir() {
  local ctl
  if ctl="$(command -v pg_ctl 2>/dev/null)" && [ -x "$(dirname "$(readlink -f "$ctl")")/initdb" ]; then
    dirname "$(readlink -f "$ctl")"
    return 0
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgresql() {
  BINDIR="$(find_bindir || true)"
  if [ -z "$BINDIR" ]; then
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get to install it"
    say "installing PostgreSQL from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    BINDIR="$(find_bindir)" || die "PostgreSQL was installed but pg_ctl/initdb are not to be found"
  fi
  PSQL="$BINDIR/psql"
  [ -x "$PSQL" ] || PSQL="$(command -v psql)" || die "psql is missing"

  # Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
  if [ "$(id -u)" -eq 0 ]; then
    OWNER=postgres
    if ! id "$OWNER" >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$OWNER" >&2
    fi
  else
    OWNER="$(id -un)"
  fi
  as_owner() {
    if [ "$(id -u)" -ne 0 ]; then
      (cd /tmp && "$@")
    elif command -v runuser >/dev/null; then
      (cd /tmp && runuser -u "$OWNER" -- "$@")
    else
      (cd /tmp && su "$OWNER" -s /bin/bash -c "$(printf '%q ' "$@")")
    fi
  }

  running_port() {
    # Line 4 of postmaster.pid is the port of the server that owns the data folder.
    if as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      sed -n 4p "$DATA/postmaster.pid"
      return 0
    fi
    return 1
  }

  mkdir -p "$ROOT"
  chown "$OWNER" "$ROOT"
  chmod 700 "$ROOT"

  if PORT="$(running_port)"; then
    say "reusing the PostgreSQL cluster already running in $DATA on port $PORT"
  else
    major="$("$BINDIR/pg_ctl" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
    if [ ! -f "$DATA/PG_VERSION" ] || [ "$(cat "$DATA/PG_VERSION")" != "$major" ]; then
      # Half-made or from another major version: the cluster is throwaway, so start over.
      rm -rf "$DATA"
      say "creating a PostgreSQL $major cluster in $DATA"
      as_owner "$BINDIR/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    fi
    rm -f "$DATA/postmaster.pid"
    mkdir -p "$RUN"
    chown "$OWNER" "$RUN"

    PORT="${TOKENWISE_PG_PORT:-5432}"
    while port_in_use "$PORT"; do
      PORT=$((PORT + 1))
      [ "$PORT" -le 5532 ] || die "no free port between 5432 and 5532"
    done
    # Durability is pointless for a test cluster; speed is not.
    cat >"$ROOT/tokenwise.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    chown "$OWNER" "$ROOT/tokenwise.conf"
    grep -q "^include_if_exists = '$ROOT/tokenwise.conf'" "$DATA/postgresql.conf" ||
      echo "include_if_exists = '$ROOT/tokenwise.conf'" >>"$DATA/postgresql.conf"

    say "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG)"
    touch "$LOG"
    chown "$OWNER" "$LOG"
    if ! as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" start >&2; then
      tail -n 30 "$LOG" >&2 || true
      die "PostgreSQL did not start within $START_TIMEOUT s"
    fi
  fi

  SOCKET_DIR="$(sed -n 5p "$DATA/postmaster.pid")"
  ready=""
  for _ in $(seq 1 "$START_TIMEOUT"); do
    if as_owner "$PSQL" -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -qtAc "SELECT 1" >/dev/null 2>&1; then
      ready=yes
      break
    fi
    sleep 1
  done
  [ -n "$ready" ] || die "PostgreSQL on port $PORT does not accept connections after $START_TIMEOUT s"

  sql() { as_owner "$PSQL" -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
  if [ -z "$(sql "SELECT 1 FROM pg_roles WHERE rolname = 'tokenwise'")" ]; then
    sql "CREATE ROLE tokenwise LOGIN PASSWORD 'tokenwise'" >&2
  else
    sql "ALTER ROLE tokenwise LOGIN PASSWORD 'tokenwise'" >&2
  fi
  if [ -z "$(sql "SELECT 1 FROM pg_database WHERE datname = 'tokenwise'")" ]; then
    sql "CREATE DATABASE tokenwise OWNER tokenwise" >&2
  fi

  # The tests connect over TCP with the password, as the gateway does; check that path too.
  PGPASSWORD=tokenwise "$PSQL" -h 127.0.0.1 -p "$PORT" -U tokenwise -d tokenwise -qtAc "SELECT 1" >/dev/null ||
    die "role tokenwise cannot log in to database tokenwise on 127.0.0.1:$PORT"

  say "PostgreSQL is ready on 127.0.0.1:$PORT"
  echo "export TOKENWISE_TEST_PG_URL=postgresql://tokenwise:tokenwise@127.0.0.1:$PORT/tokenwise"
}

start_redis() {
  local server cli port=""
  if ! server="$(command -v redis-server)"; then
    [ "$(id -u)" -eq 0 ] || die "Redis is not installed and installing it needs root"
    command -v apt-get >/dev/null || die "Redis is not installed and there is no apt-get to install it"
    say "installing Redis from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends redis-server >&2
    server="$(command -v redis-server)" || die "redis-server was installed but is not on PATH"
  fi
  cli="$(command -v redis-cli || true)"
  mkdir -p "$REDIS_ROOT"

  if [ -f "$REDIS_ROOT/port" ] && [ -f "$REDIS_ROOT/redis.pid" ] &&
    kill -0 "$(cat "$REDIS_ROOT/redis.pid")" 2>/dev/null && redis_ping "$(cat "$REDIS_ROOT/port")" "$cli"; then
    port="$(cat "$REDIS_ROOT/port")"
    say "reusing the Redis server already running on port $port"
  else
    port="${TOKENWISE_REDIS_PORT:-6390}"
    while port_in_use "$port"; do
      port=$((port + 1))
      [ "$port" -le 6490 ] || die "no free port between 6390 and 6490 for Redis"
    done
    rm -f "$REDIS_ROOT/redis.pid"
    say "starting Redis on 127.0.0.1:$port (log: $REDIS_ROOT/redis.log)"
    # No snapshots and no append-only file: the data is throwaway and the tests want speed.
    "$server" --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$REDIS_ROOT" \
      --pidfile "$REDIS_ROOT/redis.pid" --logfile "$REDIS_ROOT/redis.log" \
      --save "" --appendonly no >&2 || die "redis-server did not start (see $REDIS_ROOT/redis.log)"
    echo "$port" >"$REDIS_ROOT/port"
  fi

  local ready=""
  for _ in $(seq 1 $((START_TIMEOUT * 5))); do
    if redis_ping "$port" "$cli"; then
      ready=yes
      break
    fi
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    tail -n 30 "$REDIS_ROOT/redis.log" >&2 || true
    die "Redis on port $port does not answer PING after $START_TIMEOUT s"
  fi
  say "Redis is ready on 127.0.0.1:$port"
  echo "export TOKENWISE_TEST_REDIS_URL=redis://127.0.0.1:$port"
}

# PING over redis-cli, or over bash's /dev/tcp when the client is missing.
redis_ping() {
  local port="$1" cli="$2"
  if [ -n "$cli" ]; then
    [ "$("$cli" -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]
    return
  fi
  # In a subshell: a failed redirection of exec would end the script itself.
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 || exit 1
    [ "${reply%$'\r'}" = "+PONG" ]
  ) 2>/dev/null
}

SERVICES=("$@")
[ "${#SERVICES[@]}" -gt 0 ] || SERVICES=(postgresql redis)
for service in "${SERVICES[@]}"; do
  case "$service" in
    postgresql | redis) ;;
    *) die "unknown service '$service'; the known ones are: postgresql redis" ;;
  esac
done
for service in "${SERVICES[@]}"; do
  case "$service" in
    postgresql) start_postgresql ;;
    redis) start_redis ;;
  esac
done
