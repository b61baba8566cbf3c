#!/usr/bin/env bash
# Checks what build/release.sh ships, as a new user would use it (run by .ci/run):
#  1. the linux-x64 release binary, from its archive, with no .NET on the machine (a private mount namespace hides
#     /usr/share/dotnet when unshare is allowed; otherwise only PATH leaves it out): --version; the quickstart flags
#     in front of the fake model server and one request on each door family; a stored key made by
#     `switchboard keys create`, used for a request, and found in `switchboard usage` (SQLite, Dapper, migrations);
#  2. the .NET tool package: installed into a temporary tool path, `switchboard --version`, the quickstart, one request.
# The other targets (linux-arm64, osx-arm64, win-x64) are built by build/release.sh, not here.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
repo=$(pwd)
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "release-smoke: FAILED: $*" >&2; for f in "$tmp"/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done; exit 1; }
say() { echo "release-smoke: $*"; }

# Waits up to 60 s for a line matching the regex in a log file and prints its first group.
wait_for() {
  local log=$1 regex=$2 pid=$3
  for _ in $(seq 600); do
    if [[ $(cat "$log" 2>/dev/null) =~ $regex ]]; then echo "${BASH_REMATCH[1]}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || fail "process $pid ended before printing /$regex/"
    sleep 0.1
  done
  fail "no /$regex/ in $log after 60 s"
}

version=$(dotnet msbuild src/Switchboard/Switchboard.csproj -getProperty:Version)
started=$(date +%s)
build/release.sh --rid linux-x64 --out "$tmp/dist"
say "release build took $(( $(date +%s) - started )) s"

(cd "$tmp/dist" && sha256sum -c SHA256SUMS) || fail "checksums do not match"
mkdir "$tmp/user"
tar -xzf "$tmp/dist/switchboard-$version-linux-x64.tar.gz" -C "$tmp/user"
binary=$tmp/user/switchboard-$version-linux-x64/switchboard
[[ -x $binary ]] || fail "no executable switchboard in the linux-x64 archive"

# The fake model server, started as a process like tests/clients does.
dotnet build tests/FakeUpstream -c Release --nologo -v quiet
dotnet tests/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll --port 0 > "$tmp/fake.log" 2>&1 &
pids+=($!)
upstream=$(wait_for "$tmp/fake.log" 'FakeUpstream listening on (http://[^ ]+/v1)' "$!")

mkdir "$tmp/empty" "$tmp/home"
no_dotnet_mode="a PATH without .NET"
if [[ -d /usr/share/dotnet ]] && unshare --mount true 2>/dev/null; then
  no_dotnet_mode=".NET hidden (/usr/share/dotnet empty in a private mount namespace, a bare environment)"
fi
# Runs a command with a bare environment and, where the sandbox allows, /usr/share/dotnet hidden. It ends in exec
# (so a background job's pid is the program's own): call it only in a subshell, $(…) or with &.
without_dotnet() {
  if [[ $no_dotnet_mode == .NET\ hidden* ]]; then
    exec unshare --mount sh -c 'mount --bind "$0" /usr/share/dotnet && exec "$@"' "$tmp/empty" \
      env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"
  else
    # PATH must not lead to dotnet either.
    mkdir -p "$tmp/path"
    exec env -i PATH="$tmp/path" HOME="$tmp/home" "$@"
  fi
}
say "running the binary with $no_dotnet_mode"
[[ $(without_dotnet /bin/sh -c 'dotnet --version >/dev/null 2>&1 && echo found || echo none') == none ]] \
  || fail "dotnet still runs in the environment meant to have no .NET"

# Sends one Messages request; prints the answer.
ask() {
  local base=$1; shift
  curl -sS --fail-with-body --max-time 30 "$base/v1/messages" -H 'content-type: application/json' \
    -H 'anthropic-version: 2023-06-01' "$@" \
    -d '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}'
}

# Starts a Switchboard with the quickstart flags in front of the fake upstream; sets $server (its pid) and $base.
serve() {
  local log=$1; shift
  "$@" --upstream "$upstream" --model fake-model --port 0 --data-dir "$tmp/data" > "$log" 2>&1 &
  server=$!
  pids+=("$server")
  base=$(wait_for "$log" "Switchboard $version listening on (http://[^ ,;]+)" "$server")
}

# --- 1. The release binary, no .NET --------------------------------------------------------------------------
out=$(without_dotnet "$binary" --version) || fail "--version exited $?"
[[ $out == "Switchboard $version" ]] || fail "--version printed '$out', expected 'Switchboard $version'"
say "binary --version: $out"

key=$(without_dotnet "$binary" keys create --name smoke --data-dir "$tmp/data" | grep -o 'sk-sb-[A-Za-z0-9]*-[A-Za-z0-9]*') \
  || fail "keys create printed no key"

serve "$tmp/binary.log" without_dotnet "$binary"
health=$(curl -sS --fail "$base/healthz")
[[ $health == "{\"status\":\"ok\",\"version\":\"$version\"}" ]] || fail "/healthz answered '$health'"
answer=$(ask "$base" -H "x-api-key: $key") || fail "the Messages request failed: $answer"
[[ $answer == *'"text":"Hello from the fake model server."'* ]] || fail "unexpected answer: $answer"
chat=$(curl -sS --fail-with-body --max-time 30 "$base/v1/chat/completions" -H 'content-type: application/json' -H "authorization: Bearer $key" \
  -d '{"model":"gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}') || fail "the Chat Completions request failed: $chat"
[[ $chat == *'"content":"Hello from the fake model server."'* ]] || fail "unexpected chat answer: $chat"
[[ $(curl -sS "${upstream%/v1}/_requests") == *'"user-agent":"Switchboard/'"$version"'"'* ]] \
  || fail "the model server was not sent User-Agent: Switchboard/$version"
curl -sS -o /dev/null -w '%{http_code}' "$base/v1/messages" -H 'content-type: application/json' -H 'x-api-key: sk-sb-AAAAAAAAAAAA-wrong' \
  -d '{}' | grep -qx 401 || fail "a wrong key was not refused with 401"

# SIGTERM drains and stops; the ledger is written by then.
kill -TERM "$server"
wait "$server" || fail "the binary exited $? after SIGTERM"
usage=$(without_dotnet "$binary" usage --by key --data-dir "$tmp/data") || fail "usage exited $?"
[[ $usage == *smoke* ]] || fail "usage does not show the key's requests: $usage"
say "binary: quickstart, /healthz, Messages and Chat Completions answers, stored key, usage — ok"

# --- 2. The .NET tool ----------------------------------------------------------------------------------------
# Only the release folder as a package source, so nothing else named Switchboard can be picked.
cat > "$tmp/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="release" value="$tmp/dist" /></packageSources></configuration>
EOF
dotnet tool install Switchboard --version "$version" --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" \
  || fail "dotnet tool install failed"
out=$("$tmp/tools/switchboard" --version)
[[ $out == "Switchboard $version" ]] || fail "the tool's --version printed '$out'"
rm -rf "$tmp/data"
serve "$tmp/tool.log" "$tmp/tools/switchboard"
answer=$(ask "$base") || fail "the tool's Messages request failed: $answer"
[[ $answer == *'"text":"Hello from the fake model server."'* ]] || fail "unexpected answer from the tool: $answer"
say "tool: installed, --version, quickstart, one request — ok"
say "all checks passed in $(( $(date +%s) - started )) s"
