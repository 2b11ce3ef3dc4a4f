#!/usr/bin/env bash
# Command benchmarks (docs/BENCHMARKS.md): starts the Release dashboard on a fresh data directory, then runs
# nixfleet-loadtool in a command mode against it and stops the dashboard again.
#   scripts/bench-commands.sh rollout [loadtool options]    # a rollout of `test` over 1,000 agents, batch 100 %
#   scripts/bench-commands.sh dispatch [loadtool options]   # one command per host through the API
#   scripts/bench-commands.sh output [outputbench options]  # one agent printing 10,000 lines/s to 20 SSE subscribers
# NIXFLEET_BENCH_DATA picks the data directory (default /tmp/nixfleet-bench; it is emptied first);
# NIXFLEET_BENCH_DASHBOARD another build of the dashboard to measure (a nixfleet-dashboard.dll, for before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: scripts/bench-commands.sh rollout|dispatch|output [options]}
shift
data=${NIXFLEET_BENCH_DATA:-/tmp/nixfleet-bench}
dashboard_dll=${NIXFLEET_BENCH_DASHBOARD:-Web/bin/Release/net10.0/nixfleet-dashboard.dll}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token=bench-token-0123456789abcdef
password='bench operator password'

dotnet build -c Release Web >/dev/null
case "$mode" in
  output) dotnet build -c Release Bench/OutputBench >/dev/null ;;
  *) dotnet build -c Release Bench/LoadTool >/dev/null ;;
esac
rm -rf "$data" && mkdir -p "$data"
hash=$(echo "$password" | dotnet "$dashboard_dll" hash-password)
ulimit -n 20000
NIXFLEET_LISTEN=127.0.0.1:$port NIXFLEET_DATA_DIR=$data NIXFLEET_AGENT_TOKEN=$token NIXFLEET_PASSWORD_HASH=$hash \
  NIXFLEET_LOG_LEVEL=warn dotnet "$dashboard_dll" >"$data/dashboard.log" 2>&1 &
dashboard=$!
trap 'kill $dashboard' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/login"; do sleep 0.5; done

case "$mode" in
  output)
    dotnet Bench/OutputBench/bin/Release/net10.0/nixfleet-outputbench.dll --url "http://127.0.0.1:$port/" \
      --agent-token $token --password "$password" --pid $dashboard "$@" ;;
  rollout|dispatch)
    dotnet Bench/LoadTool/bin/Release/net10.0/nixfleet-loadtool.dll --mode "$mode" --url "ws://127.0.0.1:$port/ws" \
      --token $token --password "$password" --agents 1000 --pid $dashboard "$@" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
