{
  description = "NixFleet on Orleans: a fleet dashboard and agent for NixOS and macOS hosts";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  # Only wiring here: the packages and modules live in nix/.
  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      overlays.default = import ./nix/overlay.nix;

      packages = forAllSystems (pkgs: rec {
        nixfleet-agent = pkgs.callPackage ./nix/package-agent.nix { };
        nixfleet-dashboard = pkgs.callPackage ./nix/package-dashboard.nix { };
        default = nixfleet-dashboard;
      });

      nixosModules = {
        nixfleet-agent = import ./nix/nixos-agent.nix;
        nixfleet-dashboard = import ./nix/nixos-dashboard.nix;
      };

      homeManagerModules = {
        nixfleet-agent = import ./nix/home-agent.nix;
        default = self.homeManagerModules.nixfleet-agent;
      };
    };
}
