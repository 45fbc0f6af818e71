#!/usr/bin/env bash
# Times `strata pull` of a large schema with what real applications have besides tables (triggers,
# functions, views, partitions, grants, row-level security; bench/pull-schema.sql) against
# `pg_dump --schema-only` of the same database, the floor: both read the whole catalogue and write it out.
# Alternating rounds, medians of wall, CPU (user + system) and peak memory, reported as ratios.
#
# Before timing, once and untimed, it checks that the pull is whole: pull names nothing as not carried,
# and `strata generate` in the pulled project finds no change (--no-verify skips the generate).
#
# usage: bench/pull.sh [--tables N (default 375)] [--reps N (default 5)] [--no-verify] [--cli Strata.Cli.dll]
set -euo pipefail

tables=375
reps=5
verify=1
cli_arg=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tables) tables="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --no-verify) verify=0; shift ;;
    --cli) cli_arg="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pull.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench_name=pull.sh; source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli="${cli_arg:-$default_cli}"
work="$out/work/pull-t$tables"
results="$work/results"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

need_gnu_time
build_cli "$cli"
start_cluster
rm -rf "$work"; mkdir -p "$results"
say "loading the $tables-table schema (bench/pull-schema.sql)"
admin "CREATE DATABASE pull_bench"
quietly "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -v tables="$tables" -h 127.0.0.1 -p "$port" -U postgres -d pull_bench -f "$bench/pull-schema.sql"
objects="$(admin "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'catalog' AND c.relkind IN ('r', 'p')) || ' tables, '
  || (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'catalog' AND NOT t.tgisinternal) || ' triggers, '
  || (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'catalog') || ' functions, '
  || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'catalog' AND c.relkind = 'i') || ' indexes'" pull_bench)"
say "  $objects"

# A new project for each pull: strata.json and the schema project's .csproj, no C# and no migrations.
project="$work/project"
new_project() {
  rm -rf "$project"; mkdir -p "$project/Catalog.Schema"
  printf '{\n  "schema": "Catalog.Schema/Catalog.Schema.csproj",\n  "migrations": "db/migrations"\n}\n' >"$project/strata.json"
  cat >"$project/Catalog.Schema/Catalog.Schema.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/Strata/Strata.csproj" />
  </ItemGroup>
</Project>
CSPROJ
}
url="$(url_of pull_bench)"
measure=()
run_strata() { "${measure[@]}" dotnet "$cli" pull --config "$project/strata.json" --connection "$url" --force; }
run_pg_dump() { "${measure[@]}" "$pg_bin/pg_dump" --schema-only -h 127.0.0.1 -p "$port" -U postgres -d pull_bench -f "$work/dump.sql"; }

say "checking the pull is whole (untimed)"
new_project
run_strata >"$work/verify-pull.log" 2>&1 || { cat "$work/verify-pull.log" >&2; fail "strata pull failed"; }
if grep -q "not in the C# schema or the baseline" "$work/verify-pull.log"; then
  cat "$work/verify-pull.log" >&2; fail "strata pull left objects out (above)"
fi
carried="$(grep -o 'The baseline carries [0-9]* object' "$work/verify-pull.log" | grep -o '[0-9]*' || echo 0)"
if [[ $verify == 1 ]]; then
  dotnet "$cli" generate --config "$project/strata.json" --name after_pull >"$work/verify-generate.log" 2>&1 \
    || { cat "$work/verify-generate.log" >&2; fail "strata generate after the pull failed"; }
  grep -q "^No changes" "$work/verify-generate.log" || { cat "$work/verify-generate.log" >&2; fail "strata generate after the pull found changes"; }
  say "  nothing left out, $carried carried verbatim, and generate finds no change"
fi

TIMEFORMAT='%R %U %S'
time_one() { # name run: one timed run, appended to results/name as "wall user sys rss_kib"
  local name="$1" run="$2" status=0
  measure=(/usr/bin/time -f %M -o "$results/$name.rss")
  { time ( "$run" </dev/null >"$results/$name.log" 2>&1 ) || status=$?; } 2>"$results/$name.time"
  measure=()
  [[ $status == 0 ]] || { tail -n 40 "$results/$name.log" >&2; fail "$name failed (exit $status)"; }
  echo "$(tail -n 1 "$results/$name.time") $(tail -n 1 "$results/$name.rss")" >>"$results/$name"
}
say "warm-up, then $reps alternating rounds"
new_project; time_one warm-strata run_strata; time_one warm-pg_dump run_pg_dump
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
  new_project
  if (( r % 2 )); then time_one strata run_strata; time_one pg_dump run_pg_dump
  else time_one pg_dump run_pg_dump; time_one strata run_strata; fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

wall_of() { awk '{ print $1 }' "$results/$1" | median; }
cpu_of() { awk '{ printf "%.3f\n", $2 + $3 }' "$results/$1" | median; }
mib_of() { awk '{ printf "%.0f\n", $4 / 1024 }' "$results/$1" | median; }
report="$out/pull-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "## strata pull vs pg_dump --schema-only, $tables tables ($objects)"
  echo
  echo "| | wall s | CPU s | peak MiB |"
  echo "|---|---:|---:|---:|"
  echo "| strata pull (into a new project: C# and the baseline) | $(wall_of strata) | $(cpu_of strata) | $(mib_of strata) |"
  echo "| pg_dump --schema-only (to a file) | $(wall_of pg_dump) | $(cpu_of pg_dump) | $(mib_of pg_dump) |"
  echo "| strata / pg_dump | $(ratio "$(wall_of strata)" "$(wall_of pg_dump)") | $(ratio "$(cpu_of strata)" "$(cpu_of pg_dump)") | $(ratio "$(mib_of strata)" "$(mib_of pg_dump)") |"
  echo
  echo "- Medians of $reps alternating rounds after one untimed warm-up of each; Strata $commit, $(basename "$cli") (Release)."
  echo "- The pull was checked whole first: nothing named as not carried, $carried object(s) carried verbatim$([[ $verify == 1 ]] && echo ", and \`strata generate\` after it finds no change")."
  echo "- $(machine_line); $server_version on the same machine over TCP; load average $load_before before, $load_after after."
  echo "- CPU is the process's own (user + system): the server's work for either tool is not in it; wall includes it."
} | tee "$report"
say "written to ${report#"$repo"/}"
