#!/usr/bin/env bash
# Times a fresh migrated database for a ~12-table schema two ways, on one throwaway PostgreSQL cluster:
# a clone of Strata.Testing's migrated template (CREATE DATABASE ... TEMPLATE) and the migrations run
# into an empty database (CREATE DATABASE + Migrator), alternating, median of N each.
#
# The schema is SchemaGen's (seeded: tables with foreign keys, indexes, checks, enums), its initial
# migration written by `strata generate` as bench/migrate.sh does. Nothing that is built is timed.
#
# usage: bench/testdb.sh [--reps N (default 20)] [--tables N (default 12)] [--seed S]
#                        [--connection CS (a server to use instead of a throwaway cluster)]
set -euo pipefail

reps=20
tables=12
seed=42
connection=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --tables) tables="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --connection) connection=(--connection "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "testdb.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench_name=testdb.sh; source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$out/work/testdb-t$tables"
cli="$default_cli"

build_schemagen
build_cli "$cli"
say "building TestDbBench (Release)"
quietly dotnet build "$bench/TestDbBench/TestDbBench.csproj" -c Release -nologo

say "writing the $tables-table schema and generating its initial migration"
rm -rf "$work"
quietly dotnet "$schemagen" --tables "$tables" --seed "$seed" --change-percent 0 --out "$work" --repo "$repo"
quietly dotnet build "$work/strata/Bench.Schema/Bench.Schema.csproj" -nologo
quietly dotnet "$cli" generate --config "$work/strata/strata.json" --name init

result="$out/testdb-$(date -u +%Y%m%dT%H%M%SZ).md"
say "timing $reps clones and $reps migrations"
dotnet "$bench/TestDbBench/bin/Release/net10.0/TestDbBench.dll" --migrations "$work/strata/db/migrations" --reps "$reps" "${connection[@]}" | tee "$result"
say "written to $result"
