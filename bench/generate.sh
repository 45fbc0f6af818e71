#!/usr/bin/env bash
# Times `strata generate` against `drizzle-kit generate` side by side, in one run, on the same seeded
# schema: fresh (empty migrations folder) and after a ~5% change, at 1000 tables and at 5 tables, with
# `node -e 0`, `drizzle-kit --version` and `strata --version` as start-up floors.
#
# Nothing that is built is timed: the Strata CLI, SchemaGen and the generated schema projects are built
# first, and one untimed warm-up run of every case precedes the timed ones. Timed runs go round-robin
# (every case once, then again) so that load from other processes falls on both tools alike.
#
# usage: bench/generate.sh [--reps N] [--tables N] [--small N] [--seed S] [--change-percent P]
#                          [--cli path/to/Strata.Cli.dll (default: this repository's, built in Release)] [--drizzle-only]
set -euo pipefail

reps=7
large=1000
small=5
seed=42
change_percent=5
drizzle_only=0
cli=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --tables) large="$2"; shift 2 ;;
    --small) small="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --change-percent) change_percent="$2"; shift 2 ;;
    --cli) cli="$(realpath "$2")"; shift 2 ;;
    --drizzle-only) drizzle_only=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "generate.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
out="$bench/out"
work="$out/work"
build_cli=0
if [[ -z $cli ]]; then cli="$repo/src/Strata.Cli/bin/Release/net10.0/Strata.Cli.dll"; build_cli=1; fi
schemagen="$bench/SchemaGen/bin/Release/net10.0/SchemaGen.dll"
drizzle_kit="$bench/node/node_modules/.bin/drizzle-kit"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
fail() { say "generate.sh: $*"; exit 1; }
# Runs a preparation step with its output kept in out/prepare.log, shown only when the step fails.
quietly() {
  "$@" >>"$out/prepare.log" 2>&1 || { tail -n 40 "$out/prepare.log" >&2; fail "failed: $*"; }
}
mkdir -p "$out"; : >"$out/prepare.log"

# --- prerequisites (none of this is timed) -----------------------------------------------------------
command -v node >/dev/null || fail "node is not installed (drizzle-kit needs it)"
command -v dotnet >/dev/null || fail "dotnet is not installed"

if [[ ! -x "$drizzle_kit" || "$bench/node/package-lock.json" -nt "$bench/node/node_modules/.package-lock.json" ]]; then
  say "installing drizzle-kit (npm ci in bench/node)"
  npm_ci() { (cd "$bench/node" && npm ci --no-audit --no-fund); }
  quietly npm_ci
fi

say "building SchemaGen (Release)"
quietly dotnet build "$bench/SchemaGen/SchemaGen.csproj" -c Release -nologo
if [[ $drizzle_only == 0 && $build_cli == 1 ]]; then
  say "building the Strata CLI (Release)"
  quietly dotnet build "$repo/src/Strata.Cli/Strata.Cli.csproj" -c Release -nologo
fi
if [[ $drizzle_only == 0 ]]; then
  dotnet "$cli" generate --help >/dev/null 2>&1 || fail "$cli has no working 'generate' command yet (or pass --drizzle-only)"
fi

# --- the schemas --------------------------------------------------------------------------------------
# work/t<N>-base holds the seeded schema, work/t<N>-change the same seed with the change applied; each
# has strata/ (strata.json, Bench.Schema/) and drizzle/ (schema.ts, drizzle.config.ts).
mkdir -p "$work"
prepare_size() {
  local n="$1" variant dir
  for variant in base change; do
    dir="$work/t$n-$variant"
    local percent=0; [[ $variant == change ]] && percent="$change_percent"
    dotnet "$schemagen" --tables "$n" --seed "$seed" --change-percent "$percent" --out "$dir" --repo "$repo" >&2
    # drizzle-kit loads schema.ts with Node's resolution, which looks for drizzle-orm upwards from the file.
    ln -sfn "$bench/node/node_modules" "$dir/drizzle/node_modules"
    if [[ $drizzle_only == 0 ]]; then
      quietly dotnet build "$dir/strata/Bench.Schema/Bench.Schema.csproj" -nologo
      dotnet "$schemagen" check --assembly "$dir/strata/Bench.Schema/bin/Debug/net10.0/Bench.Schema.dll" >&2
    fi
  done
}
for n in "$small" "$large"; do prepare_size "$n"; done

# --- the cases ----------------------------------------------------------------------------------------
# Each case is: a setup (untimed; puts the migrations folder in its starting state), a command (timed)
# and a check (untimed; the run must have written exactly one new migration).
strata_dir() { echo "$work/t$1-$2/strata"; }
drizzle_dir() { echo "$work/t$1-$2/drizzle"; }

setup_strata_fresh() { rm -rf "$(strata_dir "$1" base)/db/migrations"; }
run_strata_fresh() { dotnet "$cli" generate --config "$(strata_dir "$1" base)/strata.json" --name init; }
check_strata_fresh() { [[ $(find "$(strata_dir "$1" base)/db/migrations" -mindepth 1 -maxdepth 1 -type d | wc -l) == 1 ]]; }

setup_strata_change() {
  local target; target="$(strata_dir "$1" change)/db/migrations"
  rm -rf "$target"; mkdir -p "$(dirname "$target")"; cp -a "$work/reference/strata-t$1" "$target"
}
run_strata_change() { dotnet "$cli" generate --config "$(strata_dir "$1" change)/strata.json" --name change; }
check_strata_change() { [[ $(find "$(strata_dir "$1" change)/db/migrations" -mindepth 1 -maxdepth 1 -type d | wc -l) == 2 ]]; }

setup_drizzle_fresh() { rm -rf "$(drizzle_dir "$1" base)/migrations"; }
run_drizzle_fresh() { (cd "$(drizzle_dir "$1" base)" && "$drizzle_kit" generate --name init); }
check_drizzle_fresh() { [[ $(find "$(drizzle_dir "$1" base)/migrations" -maxdepth 1 -name '*.sql' | wc -l) == 1 ]]; }

setup_drizzle_change() {
  local target; target="$(drizzle_dir "$1" change)/migrations"
  rm -rf "$target"; cp -a "$work/reference/drizzle-t$1" "$target"
}
run_drizzle_change() { (cd "$(drizzle_dir "$1" change)" && "$drizzle_kit" generate --name change); }
check_drizzle_change() { [[ $(find "$(drizzle_dir "$1" change)/migrations" -maxdepth 1 -name '*.sql' | wc -l) == 2 ]]; }

setup_none() { :; }
check_none() { :; }
run_node_floor() { node -e 0; }
run_drizzle_floor() { "$drizzle_kit" --version; }
run_strata_floor() { dotnet "$cli" --version; }

# case id | label | setup | run | check | argument
cases=()
add_case() { cases+=("$1|$2|$3|$4|$5|$6"); }
for n in "$large" "$small"; do
  for kind in fresh change; do
    what="$([[ $kind == fresh ]] && echo fresh || echo 'after the change')"
    if [[ $drizzle_only == 0 ]]; then
      add_case "strata-$kind-$n" "strata generate, $what, $n tables" "setup_strata_$kind" "run_strata_$kind" "check_strata_$kind" "$n"
    fi
    add_case "drizzle-$kind-$n" "drizzle-kit generate, $what, $n tables" "setup_drizzle_$kind" "run_drizzle_$kind" "check_drizzle_$kind" "$n"
  done
done
add_case node-floor "node -e 0" setup_none run_node_floor check_none 0
add_case drizzle-floor "drizzle-kit --version" setup_none run_drizzle_floor check_none 0
if [[ $drizzle_only == 0 ]]; then
  add_case strata-floor "strata --version" setup_none run_strata_floor check_none 0
fi

results="$out/results"
rm -rf "$results"; mkdir -p "$results"

# Runs one case once; appends "wall user sys" to results/<id>. Bash's `time` keyword counts the CPU of
# every process the case waits for (dotnet; node and the esbuild service drizzle-kit starts).
TIMEFORMAT='%R %U %S'
run_case() {
  local id label setup run check arg
  IFS='|' read -r id label setup run check arg <<<"$1"
  local record="${2:-$results/$id}" log="$results/$id.log" timing="$results/$id.time" status=0
  "$setup" "$arg"
  { time "$run" "$arg" </dev/null >"$log" 2>&1 || status=$?; } 2>"$timing"
  if [[ $status != 0 ]]; then
    say "generate.sh: '$label' failed (exit $status); its output:"; cat "$log" >&2; exit 1
  fi
  # A run that had to build the schema project would time MSBuild, not Strata.
  if grep -q 'Building .*\.csproj' "$log"; then
    say "generate.sh: '$label' built the schema project during a timed run; its output:"; cat "$log" >&2; exit 1
  fi
  "$check" "$arg" || { say "generate.sh: '$label' did not write the expected migration; its output:"; cat "$log" >&2; exit 1; }
  tail -n 1 "$timing" >>"$record"
}

# --- the reference "before" migrations for the change cases ---------------------------------------------
mkdir -p "$work/reference"
for n in "$small" "$large"; do
  rm -rf "$work/reference/drizzle-t$n" "$work/reference/strata-t$n"
  setup_drizzle_fresh "$n"
  (run_drizzle_fresh "$n") </dev/null >/dev/null 2>&1 || fail "drizzle-kit could not generate the $n-table schema"
  cp -a "$(drizzle_dir "$n" base)/migrations" "$work/reference/drizzle-t$n"
  if [[ $drizzle_only == 0 ]]; then
    setup_strata_fresh "$n"
    (run_strata_fresh "$n") </dev/null >"$results/reference-t$n.log" 2>&1 \
      || { cat "$results/reference-t$n.log" >&2; fail "strata could not generate the $n-table schema"; }
    cp -a "$(strata_dir "$n" base)/db/migrations" "$work/reference/strata-t$n"
  fi
done

# --- warm-up, then the timed rounds ---------------------------------------------------------------------
say "warm-up: every case once, untimed"
for c in "${cases[@]}"; do run_case "$c" /dev/null; done
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
  say "round $r of $reps"
  for c in "${cases[@]}"; do run_case "$c"; done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# One more untimed run of each large Strata case with --verbose, which reports the CPU used by the end
# of each phase: where the time goes, for the report.
phases_of() {
  "setup_strata_$1" "$large"
  (dotnet "$cli" generate --config "$(strata_dir "$large" "$([[ $1 == fresh ]] && echo base || echo change)")/strata.json" \
    --name "$([[ $1 == fresh ]] && echo init || echo change)" --verbose </dev/null 2>&1 || true) | grep -i 'cpu' || true
}
if [[ $drizzle_only == 0 ]]; then
  phases_fresh="$(phases_of fresh)"
  phases_change="$(phases_of change)"
fi

# --- the report -----------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall_of() { awk '{ print $1 }' "$results/$1" | median; }
cpu_of() { awk '{ printf "%.3f\n", $2 + $3 }' "$results/$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }'; }

date_tag="$(date -u +%Y-%m-%d-%H%M)"
report="$out/generate-$date_tag.md"
{
  echo "# strata generate vs drizzle-kit generate — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
    "load average $load_before before the timed rounds, $load_after after."
  echo "Versions: .NET SDK $(dotnet --version), node $(node --version), drizzle-kit $("$drizzle_kit" --version 2>/dev/null | sed -n 's/^drizzle-kit: v//p'), drizzle-orm $(node -p "require('$bench/node/node_modules/drizzle-orm/package.json').version");" \
    "Strata at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Schema: seed $seed, $large and $small tables (~11 columns, 2 indexes, 1 foreign key, 1 check each; enums), change $change_percent%."
  echo "Each figure is the median of $reps timed runs after one untimed warm-up; CPU is user + system of the process and its children."
  echo
  echo "| case | strata wall s | strata CPU s | drizzle-kit wall s | drizzle-kit CPU s | wall ratio strata/drizzle | CPU ratio strata/drizzle |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for n in "$large" "$small"; do
    for kind in fresh change; do
      label="generate, $([[ $kind == fresh ]] && echo fresh || echo "after a $change_percent% change"), $n tables"
      dw="$(wall_of "drizzle-$kind-$n")"; dc="$(cpu_of "drizzle-$kind-$n")"
      if [[ $drizzle_only == 0 ]]; then
        sw="$(wall_of "strata-$kind-$n")"; sc="$(cpu_of "strata-$kind-$n")"
        echo "| $label | $sw | $sc | $dw | $dc | $(ratio "$sw" "$dw") | $(ratio "$sc" "$dc") |"
      else
        echo "| $label | — | — | $dw | $dc | — | — |"
      fi
    done
  done
  if [[ $drizzle_only == 0 ]]; then
    echo "| start-up floor (\`strata --version\` / \`drizzle-kit --version\`) | $(wall_of strata-floor) | $(cpu_of strata-floor) | $(wall_of drizzle-floor) | $(cpu_of drizzle-floor) | $(ratio "$(wall_of strata-floor)" "$(wall_of drizzle-floor)") | $(ratio "$(cpu_of strata-floor)" "$(cpu_of drizzle-floor)") |"
  else
    echo "| start-up floor (\`drizzle-kit --version\`) | — | — | $(wall_of drizzle-floor) | $(cpu_of drizzle-floor) | — | — |"
  fi
  echo "| \`node -e 0\` | | | $(wall_of node-floor) | $(cpu_of node-floor) | | |"
  echo
  if [[ $drizzle_only == 0 && -n "$phases_fresh$phases_change" ]]; then
    echo "Where strata's time goes at $large tables (\`generate --verbose\`, one extra untimed run each):"
    echo
    echo '```'
    echo "fresh:"; echo "$phases_fresh" | sed 's/^/  /'
    echo "after the change:"; echo "$phases_change" | sed 's/^/  /'
    echo '```'
    echo
  fi
  echo "Every run (wall user sys):"
  echo
  echo '```'
  for c in "${cases[@]}"; do
    IFS='|' read -r id label _ <<<"$c"
    printf '%-52s %s\n' "$label" "$(awk '{ printf "%s/%s/%s  ", $1, $2, $3 }' "$results/$id")"
  done
  echo '```'
} >"$report"

cat "$report"
say "written to ${report#"$repo"/}"
