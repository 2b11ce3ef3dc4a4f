# The options of services.nixfleet-agent, shared by the NixOS and the home-manager module. The names are
# NixFleet's, so an existing configuration only swaps the flake input.
{ lib, pkgs, defaultUser, defaultHostname }:
let
  inherit (lib) mkOption mkEnableOption types;
in
{
  enable = mkEnableOption "the NixFleet agent";

  package = mkOption {
    type = types.package;
    default = pkgs.callPackage ./package-agent.nix { };
    defaultText = lib.literalExpression "nixfleet.packages.\${system}.nixfleet-agent";
    description = "The nixfleet-agent package to run.";
  };

  url = mkOption {
    type = types.str;
    example = "wss://fleet.example.com/ws";
    description = "Dashboard WebSocket URL (NIXFLEET_URL).";
  };

  tokenFile = mkOption {
    type = types.str;
    example = "/run/agenix/nixfleet-token";
    description = ''
      File holding the agent token (read through NIXFLEET_TOKEN_FILE). A path as a string, not a Nix path
      literal: a literal would copy the secret into the world-readable Nix store.
    '';
  };

  repoUrl = mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "git@github.com:me/nixcfg.git";
    description = "Git URL of the config repo. When set, the agent owns its own clone in its state directory.";
  };

  repoDir = mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "/home/me/nixcfg";
    description = "Existing checkout of the config repo; required when repoUrl is unset, else defaults to <state>/repo.";
  };

  branch = mkOption {
    type = types.str;
    default = "main";
    description = "Branch the agent pulls.";
  };

  interval = mkOption {
    type = types.ints.between 1 3600;
    default = 30;
    description = "Seconds between heartbeats.";
  };

  location = mkOption {
    type = types.enum [ "home" "work" "cloud" ];
    default = "home";
    description = "Where the host is, as shown on the dashboard.";
  };

  deviceType = mkOption {
    type = types.enum [ "server" "desktop" "laptop" "gaming" ];
    default = "server";
    description = "Kind of machine, as shown on the dashboard.";
  };

  themeColor = mkOption {
    type = types.nullOr (types.strMatching "#[0-9a-fA-F]{6}");
    default = null;
    example = "#7aa2f7";
    description = "Host colour on the dashboard (#rrggbb); null keeps the agent's default for the platform.";
  };

  hostname = mkOption {
    type = types.nullOr types.str;
    default = defaultHostname;
    defaultText = lib.literalExpression "config.networking.hostName on NixOS; null (the machine's short name) in home-manager";
    description = "Name the host registers as; also the flake attribute switched to (<repo>#<hostname>).";
  };

  logLevel = mkOption {
    type = types.enum [ "debug" "info" "warn" "error" ];
    default = "info";
    description = "Agent log level.";
  };

  sshKeyFile = mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "/etc/ssh/nixfleet_deploy_key";
    description = "SSH private key for git over SSH (NIXFLEET_SSH_KEY); host keys are checked against known_hosts.";
  };

  user = mkOption {
    type = types.str;
    default = defaultUser;
    description = "User the agent runs as.";
  };
}
