# services.nixfleet-agent on NixOS: the agent as a system service that a switch it runs cannot kill.
{ config, lib, pkgs, ... }:
let
  cfg = config.services.nixfleet-agent;
  stateDir = "/var/lib/nixfleet-agent";
  repo = if cfg.repoDir != null then cfg.repoDir else "${stateDir}/repo";
  sw = "/run/current-system/sw/bin";
  environment = import ./agent-environment.nix {
    inherit lib cfg stateDir;
    # Follows the current system: after a switch it leads to the agent the new generation holds.
    agentLink = "${sw}/nixfleet-agent";
    # The token is handed over by systemd (LoadCredential), so a root-only secret works for a non-root agent.
    tokenFile = "%d/token";
  };
in
{
  options.services.nixfleet-agent = import ./agent-options.nix {
    inherit lib pkgs;
    defaultUser = "nixfleet-agent";
    defaultHostname = config.networking.hostName;
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.repoUrl != null || cfg.repoDir != null;
        message = "services.nixfleet-agent: set repoUrl (the agent keeps its own clone) or repoDir (an existing checkout).";
      }
      {
        assertion = cfg.hostname != null;
        message = "services.nixfleet-agent.hostname must be set on NixOS: the sudo rule names the flake attribute.";
      }
      {
        assertion = lib.hasPrefix "/" cfg.tokenFile;
        message = "services.nixfleet-agent.tokenFile must be an absolute path.";
      }
    ];

    # In the system path, so /run/current-system/sw/bin/nixfleet-agent (NIXFLEET_AGENT_LINK) names this build.
    environment.systemPackages = [ cfg.package ];

    users.users = lib.mkIf (cfg.user == "nixfleet-agent") {
      nixfleet-agent = {
        isSystemUser = true;
        group = "nixfleet-agent";
        home = stateDir;
        description = "NixFleet agent";
      };
    };
    users.groups = lib.mkIf (cfg.user == "nixfleet-agent") { nixfleet-agent = { }; };

    # Exactly what the agent runs as root: switch to this host's configuration from its repo, roll back,
    # reboot (the empty argument list "" forbids any argument). "#" starts a comment in sudoers: escaped.
    security.sudo.extraRules = lib.mkIf (cfg.user != "root") [
      {
        users = [ cfg.user ];
        commands = map (command: { inherit command; options = [ "NOPASSWD" ]; }) [
          "${sw}/nixos-rebuild switch --flake ${repo}\\#${cfg.hostname}"
          "${sw}/nixos-rebuild switch --rollback"
          "${sw}/reboot \"\""
        ];
      }
    ];

    # nixos-rebuild runs as root on a clone the agent's user owns; git (and nix through libgit2) refuse
    # such a repository unless it is declared safe.
    programs.git = lib.mkIf (cfg.user != "root") {
      enable = lib.mkDefault true;
      config.safe.directory = [ repo ];
    };

    systemd.services.nixfleet-agent = {
      description = "NixFleet agent";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      # The agent itself runs `nixos-rebuild switch`: a switch must neither restart nor stop it mid-way.
      # After a switch that changed the agent, the agent exits and Restart= starts the new one.
      restartIfChanged = false;
      stopIfChanged = false;
      path = [ pkgs.git pkgs.openssh config.nix.package "/run/wrappers" "/run/current-system/sw" ];
      inherit environment;
      serviceConfig = {
        ExecStart = lib.getExe cfg.package;
        User = cfg.user;
        Restart = "always";
        RestartSec = 5;
        StateDirectory = "nixfleet-agent";
        StateDirectoryMode = "0700";
        LoadCredential = [ "token:${cfg.tokenFile}" ];
      };
    };
  };
}
