# services.nixfleet-agent for home-manager: a launchd agent on macOS, a systemd user service on Linux.
{ config, lib, pkgs, ... }:
let
  cfg = config.services.nixfleet-agent;
  inherit (pkgs.stdenv.hostPlatform) isDarwin;
  stateDir = "${config.xdg.stateHome}/nixfleet-agent";
  environment = import ./agent-environment.nix {
    inherit lib cfg stateDir;
    inherit (cfg) tokenFile;
    # The profile follows the current home-manager generation: after a switch it leads to the new agent.
    agentLink = "${config.home.profileDirectory}/bin/nixfleet-agent";
  };
  # launchd starts agents with a bare PATH: git, nix, home-manager, sudo and shutdown must be found.
  searchPath = lib.concatStringsSep ":" [
    "${config.home.profileDirectory}/bin"
    "/etc/profiles/per-user/${config.home.username}/bin"
    "/run/current-system/sw/bin"
    "/nix/var/nix/profiles/default/bin"
    "/usr/local/bin"
    "/usr/bin"
    "/bin"
    "/usr/sbin"
    "/sbin"
  ];
in
{
  options.services.nixfleet-agent = import ./agent-options.nix {
    inherit lib pkgs;
    defaultUser = config.home.username;
    defaultHostname = null;
  };

  config = lib.mkIf cfg.enable (lib.mkMerge [
    {
      assertions = [
        {
          assertion = cfg.repoUrl != null || cfg.repoDir != null;
          message = "services.nixfleet-agent: set repoUrl (the agent keeps its own clone) or repoDir (an existing checkout).";
        }
        {
          assertion = cfg.user == config.home.username;
          message = "services.nixfleet-agent.user must be home.username: a home-manager agent runs as its user.";
        }
      ];
      # In the profile, so <profile>/bin/nixfleet-agent (NIXFLEET_AGENT_LINK) names this build.
      home.packages = [ cfg.package ];
    }

    (lib.mkIf isDarwin {
      launchd.agents.nixfleet-agent = {
        enable = true;
        config = {
          Label = "com.nixfleet.agent";
          ProgramArguments = [ (lib.getExe cfg.package) ];
          EnvironmentVariables = environment // { PATH = searchPath; };
          RunAtLoad = true;
          # A switch replaces the agent: launchd starts the new one; the switch itself runs detached.
          KeepAlive = true;
          ProcessType = "Background";
          StandardOutPath = "/tmp/nixfleet-agent.log";
          StandardErrorPath = "/tmp/nixfleet-agent.err";
        };
      };
    })

    (lib.mkIf (!isDarwin) {
      systemd.user.services.nixfleet-agent = {
        Unit = {
          Description = "NixFleet agent";
          After = [ "network-online.target" ];
          # home-manager switch run by the agent must not restart it mid-way.
          X-RestartIfChanged = false;
        };
        Service = {
          ExecStart = lib.getExe cfg.package;
          Environment = lib.mapAttrsToList (n: v: "${n}=${v}") (environment // { PATH = searchPath; });
          Restart = "always";
          RestartSec = 5;
        };
        Install.WantedBy = [ "default.target" ];
      };
    })
  ]);
}
