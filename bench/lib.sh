# bench/lib.sh — what the bench scripts share. Source it after setting `bench_name` (the script's name,
# for messages):
#
#   bench_name=run; source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It sets `bench` (this folder), `repo`, `out` (bench/out, git-ignored), `pg_bin`, and defines: say, fail,
# quietly (a preparation step whose output goes to out/prepare.log, shown only when it fails),
# need_gnu_time, install_drizzle_kit, build_cli, build_schemagen, start_cluster / stop_cluster (a
# throwaway PostgreSQL on a free port, as the postgres user when root, stopped on exit), admin, url_of,
# median, ratio, machine_line. Nothing here is timed.

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
out="$bench/out"
pg_bin="${STRATA_PG_BIN:-/usr/lib/postgresql/15/bin}"
schemagen="$bench/SchemaGen/bin/Release/net10.0/SchemaGen.dll"
drizzle_kit="$bench/node/node_modules/.bin/drizzle-kit"
default_cli="$repo/src/Strata.Cli/bin/Release/net10.0/Strata.Cli.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
fail() { say "${bench_name:-bench}: $*"; exit 1; }
mkdir -p "$out"; : >"$out/prepare.log"
quietly() {
  "$@" </dev/null >>"$out/prepare.log" 2>&1 || { tail -n 40 "$out/prepare.log" >&2; fail "failed: $*"; }
}

# GNU time (for peak memory, `%M`): installed with apt-get when missing and we are root.
need_gnu_time() {
  [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 && return 0
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || fail "GNU time is missing: apt-get install -y time"
  say "installing GNU time (apt-get install -y time)"
  quietly apt-get install -y time
}

# drizzle-kit, drizzle-orm and pg at the versions pinned in bench/node/package-lock.json.
install_drizzle_kit() {
  command -v node >/dev/null || fail "node is not installed (drizzle-kit needs it)"
  if [[ ! -x "$drizzle_kit" || ! -d "$bench/node/node_modules/pg" \
        || "$bench/node/package-lock.json" -nt "$bench/node/node_modules/.package-lock.json" ]]; then
    say "installing drizzle-kit (npm ci in bench/node)"
    npm_ci() { (cd "$bench/node" && npm ci --no-audit --no-fund); }
    quietly npm_ci
  fi
}

build_schemagen() {
  say "building SchemaGen (Release)"
  quietly dotnet build "$bench/SchemaGen/SchemaGen.csproj" -c Release -nologo
}

# Builds this repository's CLI in Release when $1 is the default CLI path; a CLI given with --cli is used as it is.
build_cli() {
  command -v dotnet >/dev/null || fail "dotnet is not installed"
  if [[ $1 == "$default_cli" ]]; then
    say "building the Strata CLI (Release)"
    quietly dotnet build "$repo/src/Strata.Cli/Strata.Cli.csproj" -c Release -nologo
  fi
  [[ -f $1 ]] || fail "no Strata CLI at $1"
}

# --- the throwaway cluster ----------------------------------------------------------------------------
as_server() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cluster=""
port=""
stop_cluster() {
  # A compile server a bench started (bench/run sets its folder) leaves when its socket file is removed.
  [[ -n ${STRATA_COMPILE_SERVER_DIR:-} ]] && rm -f "$STRATA_COMPILE_SERVER_DIR"/*.sock
  [[ -n $cluster ]] || return 0
  as_server "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
  cluster=""
}
# Starts PostgreSQL under out/ on a free port (TCP on 127.0.0.1, trust, superuser postgres), stopped when
# the script exits however it exits. Sets cluster, port, server_version, postmaster (its pid).
start_cluster() {
  [[ -x "$pg_bin/initdb" && -x "$pg_bin/pg_ctl" && -x "$pg_bin/psql" ]] || fail "no initdb, pg_ctl and psql in $pg_bin (set STRATA_PG_BIN)"
  cluster="$(mktemp -d "$out/pg.XXXXXX")"
  chmod 755 "$out" "$cluster"
  [[ $(id -u) == 0 ]] && chown postgres: "$cluster"
  trap stop_cluster EXIT
  trap 'exit 130' INT TERM
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)"
  say "starting a throwaway PostgreSQL on 127.0.0.1:$port (${cluster#"$repo"/})"
  quietly as_server "$pg_bin/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --no-sync
  # The socket goes to /tmp: a path under the repository may be longer than a socket path may be.
  quietly as_server "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp" start
  server_version="$(as_server "$pg_bin/postgres" --version)"
  postmaster="$(head -n 1 "$cluster/data/postmaster.pid")"
}
admin() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "${2:-postgres}" -At -c "$1"; }
url_of() { echo "postgres://postgres@127.0.0.1:$port/$1"; }
# Tables outside the catalogs and the tools' own tracking schemas.
table_count() {
  admin "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'strata', 'drizzle')" "$1"
}

# --- figures --------------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Two decimals, or two significant digits below 0.1 (pull of 1000 tables is 0.0037 of drizzle-kit's, not 0.00).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) { r = a / b; if (r < 0.1) printf "%.2g", r; else printf "%.2f", r } else print "—" }'; }
machine_line() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
}
