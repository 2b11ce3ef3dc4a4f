# nixfleet-dashboard: the web dashboard with its co-hosted Orleans silo. Restored offline from ./deps.json
# (regenerate with scripts/update-nuget-deps.sh after changing a package); its front-end packages come from
# ./web-node-modules.nix.
{ lib, buildDotnetModule, dotnetCorePackages, callPackage }:
let
  source = import ./source.nix { inherit lib; };
  webNodeModules = callPackage ./web-node-modules.nix { };
in
buildDotnetModule {
  pname = "nixfleet-dashboard";
  inherit (source) version src;

  projectFile = "Web/NixFleet.Web.csproj";
  nugetDeps = ./deps.json;
  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime = dotnetCorePackages.aspnetcore_10_0;
  executables = [ "nixfleet-dashboard" ];

  # The project's NpmInstall target runs `npm ci` unless its stamp is newer than the lock file: hand it the
  # packages installed by the fixed-output derivation, so the sandboxed build needs no network.
  preBuild = ''
    cp -r ${webNodeModules} Web/node_modules
    chmod -R u+w Web/node_modules
    touch Web/node_modules/.nixfleet-installed
  '';

  meta = {
    description = "NixFleet dashboard: live fleet view and commands for NixOS and macOS hosts";
    mainProgram = "nixfleet-dashboard";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}
