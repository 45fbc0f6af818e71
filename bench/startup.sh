#!/usr/bin/env bash
# Times `strata --version` as a user runs it: the CLI packed as a dotnet tool into a local feed
# (bench/out/feed), installed from it into a tool manifest, and run as `dotnet strata --version`; and
# the same installed tool's executable run directly (what `dotnet strata` starts after the .NET SDK has
# found the tool in the manifest), its `--help` (the whole command tree), and a tool-path install's shim.
# Side by side: `node -e 0`, and `drizzle-kit --version` when bench/node has drizzle-kit installed
# (bench/generate.sh installs it). The runs go round-robin, after one untimed round; medians of N.
#
# usage: bench/startup.sh [--reps N (default 20)] [--no-pack (reuse bench/out/feed)]
set -euo pipefail

reps=20
pack=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --no-pack) pack=0; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench_name=startup.sh; source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
feed="$out/feed"
work="$out/work/startup"
# The installed packages go to a cache of this run's own, and the SDK's memory of where it found each local
# tool (.dotnet/toolResolverCache) to a home of its own, so that a package repacked under the same version is really used.
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_HOME="$work/home"
command -v dotnet >/dev/null || fail "dotnet is not installed"

if [[ $pack == 1 ]]; then
  say "packing the Strata.Cli tool into $feed (Release)"
  rm -rf "$feed"
  (unset NUGET_PACKAGES DOTNET_CLI_HOME; quietly dotnet pack "$repo/src/Strata.Cli/Strata.Cli.csproj" -c Release -o "$feed" -nologo)
fi
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"

say "installing it into a tool manifest and a tool path in $work"
rm -rf "$work"; mkdir -p "$work/project"
cd "$work/project"
quietly dotnet new tool-manifest
quietly dotnet tool install Strata.Cli --add-source "$feed" --version "$version"
quietly dotnet tool install Strata.Cli --add-source "$feed" --version "$version" --tool-path "$work/tools"
exe="$NUGET_PACKAGES/strata.cli.$rid/$version/tools/net10.0/$rid/Strata.Cli"
[[ -x $exe ]] || exe="" # a platform without its own package installs the neutral one, which has no executable

# The floor of any `dotnet <tool>`: the SDK starting and failing to find a command (it exits 1).
floor="dotnet no-such-tool (the .NET SDK's own start: the floor of dotnet strata)"
cases=("dotnet strata --version" "$floor" "tools/strata --version (tool-path shim)")
commands=("dotnet strata --version" "dotnet no-such-tool" "$work/tools/strata --version")
if [[ -n $exe ]]; then
  cases+=("Strata.Cli --version (the installed executable)" "Strata.Cli --help (the whole command tree)")
  commands+=("$exe --version" "$exe --help")
fi
# The platform-neutral package (what Windows and macOS install): the same code, JIT-compiled, run by `dotnet`.
any="$work/any"
mkdir -p "$any"; (cd "$any" && unzip -q -o "$feed/Strata.Cli.any.$version.nupkg")
cases+=("dotnet Strata.Cli.dll --version (neutral package, JIT)" "dotnet Strata.Cli.dll --help (neutral package, JIT)")
commands+=("dotnet $any/tools/net10.0/any/Strata.Cli.dll --version" "dotnet $any/tools/net10.0/any/Strata.Cli.dll --help")
cases+=("node -e 0")
commands+=("node -e 0")
if [[ -x $drizzle_kit ]]; then
  cases+=("drizzle-kit --version")
  commands+=("$drizzle_kit --version")
  cases+=("npx drizzle-kit --version")
  commands+=("npx --prefix $bench/node --no-install drizzle-kit --version")
fi

declare -A times
say "timing $reps rounds of ${#cases[@]} cases (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for round in $(seq 0 "$reps"); do
  for i in "${!commands[@]}"; do
    start=$(date +%s%N)
    ${commands[$i]} </dev/null >/dev/null 2>&1 || [[ ${cases[$i]} == "$floor" ]] || fail "failed: ${commands[$i]}"
    end=$(date +%s%N)
    [[ $round == 0 ]] || times[$i]+="$(( (end - start) / 100000 )) "
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 10 }'; }
result="$out/startup-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "strata $version ($rid), $reps runs each, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| command | median |"
  echo "|---|---|"
  for i in "${!cases[@]}"; do
    echo "| \`${cases[$i]}\` | $(median <<<"${times[$i]}") ms |"
  done
} | tee "$result"
say "written to $result"
