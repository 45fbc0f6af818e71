#!/usr/bin/env bash
# Times `strata migrate` of the 1000-table initial migration onto an empty database against
# `psql -1 -f` of the same up.sql, in one run, on one local throwaway PostgreSQL cluster; and
# `strata reset` of a database that migration was applied to (drop it all, migrate again) against both.
#
# The migration is written first by `strata generate` from the SchemaGen schema (as generate.sh does).
# Then, for each of N rounds, each tool gets a fresh empty database (created untimed) and one timed run;
# the tools alternate within a round so that load from other processes falls on both alike. After every
# run the script checks the database holds the 1000 tables. Nothing that is built is timed.
#
# usage: bench/migrate.sh [--reps N (default 5)] [--tables N (default 1000)] [--seed S]
#                         [--cli path/to/Strata.Cli.dll (default: this repository's, built in Release)]
set -euo pipefail

reps=5
tables=1000
seed=42
cli=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --tables) tables="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --cli) cli="$(realpath "$2")"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "migrate.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
out="$bench/out"
work="$out/work/migrate-t$tables"
build_cli=0
if [[ -z $cli ]]; then cli="$repo/src/Strata.Cli/bin/Release/net10.0/Strata.Cli.dll"; build_cli=1; fi
schemagen="$bench/SchemaGen/bin/Release/net10.0/SchemaGen.dll"
pg_bin="${STRATA_PG_BIN:-/usr/lib/postgresql/15/bin}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
fail() { say "migrate.sh: $*"; exit 1; }
quietly() {
  "$@" >>"$out/prepare.log" 2>&1 || { tail -n 40 "$out/prepare.log" >&2; fail "failed: $*"; }
}
mkdir -p "$out"; : >"$out/prepare.log"

# --- prerequisites (none of this is timed) -----------------------------------------------------------
command -v dotnet >/dev/null || fail "dotnet is not installed"
[[ -x "$pg_bin/initdb" && -x "$pg_bin/pg_ctl" && -x "$pg_bin/psql" ]] || fail "no initdb, pg_ctl and psql in $pg_bin (set STRATA_PG_BIN)"

say "building SchemaGen (Release)"
quietly dotnet build "$bench/SchemaGen/SchemaGen.csproj" -c Release -nologo
if [[ $build_cli == 1 ]]; then
  say "building the Strata CLI (Release)"
  quietly dotnet build "$repo/src/Strata.Cli/Strata.Cli.csproj" -c Release -nologo
fi

# --- the migration ------------------------------------------------------------------------------------
say "writing the $tables-table schema and generating its initial migration"
rm -rf "$work"
dotnet "$schemagen" --tables "$tables" --seed "$seed" --change-percent 0 --out "$work" --repo "$repo" >&2
quietly dotnet build "$work/strata/Bench.Schema/Bench.Schema.csproj" -nologo
quietly dotnet "$cli" generate --config "$work/strata/strata.json" --name init
migrations="$work/strata/db/migrations"
up="$(find "$migrations" -mindepth 2 -maxdepth 2 -name up.sql)"
[[ $(wc -l <<<"$up") == 1 && -f $up ]] || fail "expected exactly one generated migration in $migrations"
statements=$(( $(grep -c '^--> statement-breakpoint' "$up") + 1 ))
say "$(basename "$(dirname "$up")")/up.sql: $statements statements, $(wc -c <"$up") bytes"

# --- the server ---------------------------------------------------------------------------------------
# A throwaway cluster on a free port, run as the postgres user when we are root (the server refuses root).
cluster="$(mktemp -d /tmp/strata-bench-pg.XXXXXX)"
chmod 755 "$cluster"
as_server() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres: "$cluster"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)"
stop_server() {
  as_server "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_server EXIT
say "starting a throwaway PostgreSQL on 127.0.0.1:$port"
quietly as_server "$pg_bin/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --no-sync
quietly as_server "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$cluster" start
server_version="$(as_server "$pg_bin/postgres" --version)"
postmaster="$(head -n 1 "$cluster/data/postmaster.pid")"

# Both tools connect the same way: TCP to 127.0.0.1 as the superuser.
admin() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -c "$1"; }
url_of() { echo "postgres://postgres@127.0.0.1:$port/$1"; }

# The server's CPU in seconds: the postmaster's own and its reaped children's (the backends), from /proc.
server_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15 + $16 + $17) / hz }' "/proc/$postmaster/stat"
}

# --- the cases ----------------------------------------------------------------------------------------
run_strata() { dotnet "$cli" migrate --config "$work/strata/strata.json" -c "$(url_of "$1")"; }
run_reset() { dotnet "$cli" reset --config "$work/strata/strata.json" -c "$(url_of "$1")"; }
prepare_reset() { run_strata "$1" >/dev/null 2>&1 || fail "strata migrate before the reset failed"; }
run_psql() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -1 -h 127.0.0.1 -p "$port" -U postgres -d "$1" -f "$up"; }
check_tables() {
  local count
  count="$("$pg_bin/psql" -X -h 127.0.0.1 -p "$port" -U postgres -d "$1" -At -c \
    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'strata')")"
  [[ $count == "$tables" ]] || fail "$2 left $count tables in $1, expected $tables"
}

results="$out/results-migrate"
rm -rf "$results"; mkdir -p "$results"
TIMEFORMAT='%R %U %S'
# One run of a tool onto a fresh database; appends "wall user sys server-cpu" to results/<tool>.
run_case() {
  local tool="$1" record="${2:-$results/$1}" database="bench_${1}_$RANDOM$RANDOM" status=0 before after
  admin "CREATE DATABASE $database"
  if declare -F "prepare_$tool" >/dev/null; then "prepare_$tool" "$database"; fi
  sleep 0.2
  before="$(server_cpu)"
  { time "run_$tool" "$database" </dev/null >"$results/$tool.log" 2>&1 || status=$?; } 2>"$results/$tool.time"
  if [[ $status != 0 ]]; then say "migrate.sh: $tool failed (exit $status); its output:"; cat "$results/$tool.log" >&2; exit 1; fi
  # Wait for the backend to end and be reaped, so that its CPU is counted in the postmaster's children.
  for _ in $(seq 50); do
    [[ $(admin "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database'") == 0 ]] && break
    sleep 0.05
  done
  sleep 0.2
  after="$(server_cpu)"
  check_tables "$database" "$tool"
  admin "DROP DATABASE $database"
  printf '%s %s\n' "$(tail -n 1 "$results/$tool.time")" "$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.3f", a - b }')" >>"$record"
}

say "warm-up: each tool once, untimed"
run_case strata /dev/null
run_case psql /dev/null
run_case reset /dev/null
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
  say "round $r of $reps"
  if (( r % 2 )); then run_case strata; run_case psql; run_case reset; else run_case reset; run_case psql; run_case strata; fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the report -----------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall_of() { awk '{ print $1 }' "$results/$1" | median; }
cpu_of() { awk '{ printf "%.3f\n", $2 + $3 }' "$results/$1" | median; }
server_of() { awk '{ print $4 }' "$results/$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }'; }

sw="$(wall_of strata)"; pw="$(wall_of psql)"; rw="$(wall_of reset)"
target="$(awk -v p="$pw" 'BEGIN { printf "%.3f", 1.10 * p + 0.15 }')"
verdict="$(awk -v s="$sw" -v t="$target" 'BEGIN { print (s <= t) ? "met" : "NOT met" }')"
date_tag="$(date -u +%Y-%m-%d-%H%M)"
report="$out/migrate-$date_tag.md"
{
  echo "# strata migrate vs psql -1 -f — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
    "load average $load_before before the timed rounds, $load_after after."
  echo "Versions: .NET SDK $(dotnet --version), $server_version (throwaway cluster, default settings, TCP on 127.0.0.1); Strata at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Migration: seed $seed, $tables tables; up.sql of $statements statements. Each run onto a fresh empty database."
  echo "Each figure is the median of $reps timed runs after one untimed warm-up; client CPU is user + system of the client process;"
  echo "server CPU is what the PostgreSQL backends used meanwhile (the postmaster's reaped children, from /proc)."
  echo
  echo "| tool | wall s | client CPU s | server CPU s |"
  echo "|---|---:|---:|---:|"
  echo "| \`strata migrate\` | $sw | $(cpu_of strata) | $(server_of strata) |"
  echo "| \`psql -1 -f up.sql\` | $pw | $(cpu_of psql) | $(server_of psql) |"
  echo "| \`strata reset\` (of the migrated database) | $rw | $(cpu_of reset) | $(server_of reset) |"
  echo
  echo "Wall ratio strata/psql: **$(ratio "$sw" "$pw")**. Target: within 1.10 × psql + 0.15 s = $target s: **$verdict**."
  echo "Wall ratio reset/migrate: **$(ratio "$rw" "$sw")** (reset drops the $tables tables, then runs the same migration)."
  echo
  echo "Every run (wall user sys server):"
  echo
  echo '```'
  for tool in strata psql reset; do printf '%-8s %s\n' "$tool" "$(awk '{ printf "%s/%s/%s/%s  ", $1, $2, $3, $4 }' "$results/$tool")"; done
  echo '```'
} >"$report"

cat "$report"
say "written to ${report#"$repo"/}"
