#!/usr/bin/env bash
# Regenerates nix/deps.json, the NuGet packages the flake's buildDotnetModule packages restore offline.
# Run it after changing a package (Directory.Packages.props or a project's references); the Ship tests fail
# while nix/deps.json and the projects' packages.lock.json files disagree.
#
# The projects are the ones nix/package-*.nix build (their `projectFile`); each one's packages.lock.json lists
# its whole package closure. The hash of each package is the SHA-512 of the .nupkg that NuGet downloaded
# (the .nupkg.sha512 file of the global packages folder), written as an SRI hash, which fetchurl accepts.
# Usage: scripts/update-nuget-deps.sh [--no-restore]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "update-nuget-deps: jq is required (apt-get install jq)" >&2; exit 1; }

mapfile -t projects < <(sed -n 's/^[[:space:]]*projectFile = "\(.*\)";.*/\1/p' nix/package-*.nix | sort -u)
[ ${#projects[@]} -gt 0 ] || { echo "update-nuget-deps: no projectFile in nix/package-*.nix" >&2; exit 1; }

if [ "${1:-}" != "--no-restore" ]; then
  for p in "${projects[@]}"; do dotnet restore "$p" --verbosity quiet; done
fi

packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
locks=()
for p in "${projects[@]}"; do locks+=("$(dirname "$p")/packages.lock.json"); done

# name<TAB>version for every package of every target (framework and framework/runtime) of every lock file.
entries=$(jq -r '.dependencies[] | to_entries[] | select(.value.type != "Project" and .value.resolved != null)
                 | "\(.key)\t\(.value.resolved)"' "${locks[@]}" | sort -f -u)

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while IFS=$'\t' read -r name version; do
  id=${name,,}; ver=${version,,}
  sha="$packages/$id/$ver/$id.$ver.nupkg.sha512"
  [ -f "$sha" ] || { echo "update-nuget-deps: $name $version is not in $packages (restore first)" >&2; exit 1; }
  jq -n --arg pname "$name" --arg version "$version" --arg hash "sha512-$(tr -d '\r\n' < "$sha")" \
    '{pname: $pname, version: $version, hash: $hash}'
done <<< "$entries" > "$tmp"

jq -s 'unique_by([(.pname | ascii_downcase), .version]) | sort_by([(.pname | ascii_downcase), .version])' "$tmp" > nix/deps.json
echo "nix/deps.json: $(jq length nix/deps.json) packages from ${locks[*]}"
