#!/usr/bin/env bash
# Regenerates nix/web-node-modules.json: the hash of Web/node_modules as `npm ci` installs it from
# Web/package-lock.json, which the Nix build of the dashboard checks (a fixed-output derivation may use the
# network; the dashboard's own build in the sandbox may not). Run it after changing Web/package-lock.json; the
# Ship tests fail while the recorded lock file hash is not the current one.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nix-hash >/dev/null || { echo "update-web-node-modules-hash: nix-hash is required (apt-get install nix-bin)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp Web/package.json Web/package-lock.json "$work/"
[ -f Web/.npmrc ] && cp Web/.npmrc "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
# npm's own record of the install differs between npm versions; the package files do not.
rm -f "$work/node_modules/.package-lock.json"

hex=$(nix-hash --type sha256 "$work/node_modules" 2>/dev/null)
hash="sha256-$(perl -e 'print pack("H*", shift)' "$hex" | base64 -w0)"
lock=$(sha256sum Web/package-lock.json | cut -d' ' -f1)
printf '{\n  "lockSha256": "%s",\n  "hash": "%s"\n}\n' "$lock" "$hash" > nix/web-node-modules.json
cat nix/web-node-modules.json
