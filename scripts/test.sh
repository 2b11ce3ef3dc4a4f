#!/usr/bin/env bash
# Runs every test and ends with "N passed, N failed, N skipped" computed from the TRX results.
# Installs what the tests need (Debian packages) when it is missing, so a fresh machine needs nothing by hand.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v git >/dev/null || need+=(git)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v nix-instantiate >/dev/null || need+=(nix-bin)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v cvtsudoers >/dev/null || need+=(sudo)   # its sudoers parser checks the NixOS module's sudo rule
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/tmp/nixfleet-apt.log 2>&1 \
    || echo "warning: apt-get install failed (see /tmp/nixfleet-apt.log); tests that need ${need[*]} will fail"
fi

results="TestResults/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$results"
dotnet test NixFleet.slnx --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; total=0; executed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total))); executed=$((executed + $(get executed)))
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
done
skipped=$((total - executed))
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$executed" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit 0
