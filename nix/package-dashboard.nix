# nixfleet-dashboard: the web dashboard with its co-hosted Orleans silo. Restored offline from ./deps.json
# (regenerate with scripts/update-nuget-deps.sh after changing a package).
{ lib, buildDotnetModule, dotnetCorePackages }:
let
  source = import ./source.nix { inherit lib; };
in
buildDotnetModule {
  pname = "nixfleet-dashboard";
  inherit (source) version src;

  projectFile = "Web/NixFleet.Web.csproj";
  nugetDeps = ./deps.json;
  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime = dotnetCorePackages.aspnetcore_10_0;
  executables = [ "nixfleet-dashboard" ];

  meta = {
    description = "NixFleet dashboard: live fleet view and commands for NixOS and macOS hosts";
    mainProgram = "nixfleet-dashboard";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}
