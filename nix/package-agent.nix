# nixfleet-agent: the agent every managed host runs. Restored offline from ./deps.json
# (regenerate with scripts/update-nuget-deps.sh after changing a package).
{ lib, buildDotnetModule, dotnetCorePackages }:
let
  source = import ./source.nix { inherit lib; };
in
buildDotnetModule {
  pname = "nixfleet-agent";
  inherit (source) version src;

  projectFile = "Agent/NixFleet.Agent.csproj";
  nugetDeps = ./deps.json;
  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime = dotnetCorePackages.runtime_10_0;
  executables = [ "nixfleet-agent" ];
  # The project turns a runtime-specific publish into a trimmed self-contained single file (its release
  # binaries). Here the runtime comes from nixpkgs: publish framework-dependent, as the wrapper expects.
  dotnetFlags = [ "-p:SelfContained=false" "-p:PublishSingleFile=false" "-p:PublishTrimmed=false" ];

  meta = {
    description = "NixFleet agent: connects a NixOS or macOS host to the NixFleet dashboard";
    mainProgram = "nixfleet-agent";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}
