# Sourced by every bench/load script: the shared start-up (paths, logging, building, starting and stopping
# processes, reading their CPU time and memory, the machine description). A script sets OUT (and may set
# BUILD_PROJECTS) before sourcing it.
#
# Experiments: SWITCHBOARD_DLL=<path> runs another build of Switchboard (e.g. a baseline) instead of this tree's.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$OUT"
PIDS=()
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
# Stops every process this script started (and forgets them, so a script may call it between runs).
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; PIDS=(); }
trap cleanup EXIT

need() { # command package: installs the Debian package when the command is missing
  command -v "$1" >/dev/null || { log "installing $2"; apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
}

build_projects() { # project folders relative to the repository (default: Switchboard, FastUpstream, LoadTool, YarpFloor)
  local projects=("$@") project
  [[ ${#projects[@]} -gt 0 ]] || projects=(src/Switchboard bench/FastUpstream bench/LoadTool bench/YarpFloor)
  log "building (Release)"
  for project in "${projects[@]}"; do dotnet build "$ROOT/$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null; done
}
SWITCHBOARD_DLL=${SWITCHBOARD_DLL:-$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll}
UPSTREAM_DLL=$ROOT/bench/FastUpstream/bin/Release/net10.0/FastUpstream.dll
LOADTOOL_DLL=$ROOT/bench/LoadTool/bin/Release/net10.0/LoadTool.dll
YARP_DLL=$ROOT/bench/YarpFloor/bin/Release/net10.0/YarpFloor.dll

wait_for() { # url [tenths of a second]
  for _ in $(seq 1 "${2:-100}"); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  log "gave up waiting for $1"; return 1
}
start() { # name logfile command... → prints the pid; the process is stopped on exit
  local name=$1 logfile=$2; shift 2
  "$@" >"$logfile" 2>&1 &
  PIDS+=($!)
  log "$name started, pid $!"
  echo $!
}
stop() { # pid: a graceful stop, waited for (Switchboard drains its ledger on the way out)
  kill -TERM "$1" 2>/dev/null || true
  while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
}
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime, after the comm field
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
reset_hwm() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }
TICKS=$(getconf CLK_TCK)

machine_info() {
  {
    echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; memory $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
    echo "- Kernel $(uname -r); .NET $(dotnet --version); Node $(node --version 2>/dev/null || echo none); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Switchboard commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (with local changes)')"
    [[ $SWITCHBOARD_DLL == "$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll" ]] || echo "- Switchboard build measured: $SWITCHBOARD_DLL (SWITCHBOARD_DLL)"
  } >"$OUT/machine.md"
  cat "$OUT/machine.md" >&2
}
