#!/usr/bin/env bash
# The gateway benchmark in one command (docs/BENCHMARKS.md): builds the dashboard and the load tool (Release),
# starts the dashboard on a fresh database under /tmp, runs N simulated agents against it and prints the figures.
#
#   Bench/run-gateway-bench.sh [--agents 10000] [--duration 120] [--interval 5] [--restart-at S] [--drop-at S] [--no-build]
#                              [--dashboard-dll PATH]
#
# --restart-at S   kill -9 the dashboard S seconds into the run and start it again at once (same database);
#                  the tool reports how long until all agents were online again.
# --drop-at S      the load tool closes every agent's socket at once at S seconds; agents reconnect with the
#                  real agent's backoff (1 s doubling to 60 s, plus up to 50 % jitter).
# --dashboard-dll  another build of the dashboard (e.g. of an older commit) to compare against; implies --no-build
#                  for the dashboard.
# Any other --name value pair is passed to the load tool (e.g. --dispatch, --sources, --concurrency).
set -euo pipefail
cd "$(dirname "$0")/.."

agents=10000 duration=120 interval=5 restart_at="" build=1 port=18555 dll=Web/bin/Release/net10.0/nixfleet-dashboard.dll
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --restart-at) restart_at=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --dashboard-dll) dll=$2; shift 2 ;;
    *) pass+=("$1" "$2"); shift 2 ;;
  esac
done

if [ "$build" = 1 ]; then
  [ "$dll" = Web/bin/Release/net10.0/nixfleet-dashboard.dll ] && dotnet build -c Release Web -v q -nologo | tail -3
  dotnet build -c Release Bench/LoadTool -v q -nologo | tail -3
fi

ulimit -n 20000
work=$(mktemp -d /tmp/nixfleet-gwbench.XXXXXX)
token=bench-token-0123456789abcdef
export NIXFLEET_LISTEN=127.0.0.1:$port NIXFLEET_DATA_DIR=$work/data NIXFLEET_AGENT_TOKEN=$token NIXFLEET_LOG_LEVEL=warn

start_dashboard() {
  dotnet "$dll" >>"$work/dashboard.log" 2>&1 &
  echo $! >"$work/dashboard.pid"
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/health" && return 0
    sleep 0.5
  done
  echo "dashboard did not become healthy; see $work/dashboard.log" >&2
  return 1
}
stop_dashboard() { kill "$(cat "$work/dashboard.pid")" 2>/dev/null || true; }
trap stop_dashboard EXIT

start_dashboard
echo "machine: $(nproc) cores; $(uptime)"
echo "dashboard pid $(cat "$work/dashboard.pid"), data in $work"

if [ -n "$restart_at" ]; then
  (
    sleep "$restart_at"
    kill -9 "$(cat "$work/dashboard.pid")"
    echo "# dashboard killed (kill -9) at ${restart_at} s; starting it again" >&2
    start_dashboard
  ) &
fi

dotnet Bench/LoadTool/bin/Release/net10.0/nixfleet-loadtool.dll --url "ws://127.0.0.1:$port/ws" --token "$token" \
  --agents "$agents" --interval "$interval" --duration "$duration" --pid-file "$work/dashboard.pid" \
  ${restart_at:+--restart-at "$restart_at"} "${pass[@]}" | tee "$work/loadtool.txt"
echo "dashboard warnings and errors: $(grep -cE ' (warn|fail|crit):' "$work/dashboard.log" || true) (log: $work/dashboard.log)"
