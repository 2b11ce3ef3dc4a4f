#!/usr/bin/env bash
# Publishes nixfleet-agent for one runtime into dist/agent/<rid>/ (not used by CI):
#   linux-x64, linux-arm64: NativeAOT (linux-arm64 is cross-linked with clang-14 and Debian's aarch64 cross libc,
#                           installed here when missing); osx-arm64, osx-x64: trimmed self-contained single file.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:?usage: scripts/publish-agent.sh linux-x64|linux-arm64|osx-arm64|osx-x64}"
out="dist/agent/$rid"
# The committed lock files describe the portable restore (nix/deps.json follows them); a runtime-specific
# publish (NativeAOT pulls the ILCompiler packs) writes its own lock file under obj/ instead.
args=(publish Agent -c Release -r "$rid" -o "$out" -p:NuGetLockFilePath="obj/packages.$rid.lock.json")

case "$rid" in
  linux-x64)
    args+=(-p:PublishAot=true) ;;
  linux-arm64)
    need=()
    command -v clang-14 >/dev/null || need+=(clang-14)
    command -v aarch64-linux-gnu-ld >/dev/null || need+=(binutils-aarch64-linux-gnu)
    command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
    [ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || need+=(libc6-dev-arm64-cross)
    if [ ${#need[@]} -gt 0 ]; then
      echo "installing: ${need[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
    # No -p:SysRoot: Debian's cross libc is not a sysroot (its libc.so script names /usr/aarch64-linux-gnu/lib/...
    # absolutely, which a sysroot would prefix again); clang --target=aarch64-linux-gnu finds it on its own.
    args+=(-p:PublishAot=true -p:CppCompilerAndLinker=clang-14) ;;
  osx-arm64|osx-x64) ;;
  *) echo "unknown runtime: $rid" >&2; exit 2 ;;
esac

dotnet "${args[@]}"
rm -f "$out"/*.dbg "$out"/*.pdb
ls -l "$out/nixfleet-agent"
