# Adds the two NixFleet packages to a nixpkgs package set.
final: _prev: {
  nixfleet-agent = final.callPackage ./package-agent.nix { };
  nixfleet-dashboard = final.callPackage ./package-dashboard.nix { };
}
