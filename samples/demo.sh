#!/usr/bin/env bash
# Strata's main job, start to finish, on a local PostgreSQL that Strata starts itself:
# the C# schema in samples/todo becomes a SQL migration, which is then applied.
# The sample is copied to a temporary folder first, so the repository stays clean.
# KEEP=1 keeps that folder (and its stopped cluster) for a look afterwards.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="$repo/src/Strata.Cli/bin/Debug/net10.0/Strata.Cli.dll"
work="$(mktemp -d "${TMPDIR:-/tmp}/strata-demo.XXXXXX")"
# As root, Strata runs PostgreSQL as the 'postgres' user, which must be able to enter this folder.
chmod 755 "$work"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
strata() { dotnet "$cli" "$@"; }

stop_local_server() {
    [ -f "$work/strata.json" ] || return 0
    (cd "$work" && strata dev stop)
}

finish() {
    stop_local_server || true
    if [ "${KEEP:-0}" = 1 ]; then
        echo "The demo project stays in $work."
    else
        rm -rf "$work"
    fi
}
trap finish EXIT

step "Building the strata command"
dotnet build "$repo/src/Strata.Cli/Strata.Cli.csproj" -c Debug --nologo -v q -clp:NoSummary

step "Copying samples/todo to $work"
cp -R "$repo/samples/todo/." "$work/"
rm -rf "$work/Todo.Schema/bin" "$work/Todo.Schema/obj" "$work/db" "$work/.strata"
# The sample references Strata by a path relative to the repository; the copy needs it absolute.
sed -i "s|../../../src/Strata/Strata.csproj|$repo/src/Strata/Strata.csproj|" "$work/Todo.Schema/Todo.Schema.csproj"
cd "$work"

step "strata generate --name init   (C# schema -> SQL migration; no database needed)"
strata generate --name init

folder="$(find db/migrations -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)"
step "What it wrote: $folder"
ls -l "$folder"
echo
echo "--- head of $folder/up.sql"
head -n 30 "$folder/up.sql"
echo "--- db/migrations/strata.sum"
cat db/migrations/strata.sum

step "strata migrate   (applies it to a local PostgreSQL that Strata starts in .strata/postgres)"
strata migrate

step "strata migrate, again: nothing left to apply"
strata migrate
