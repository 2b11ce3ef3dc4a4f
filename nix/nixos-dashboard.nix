# services.nixfleet-dashboard on NixOS: the dashboard and its co-hosted silo as a hardened system service.
{ config, lib, pkgs, ... }:
let
  cfg = config.services.nixfleet-dashboard;
  inherit (lib) mkOption mkEnableOption types;
  listenHost = if lib.hasInfix ":" cfg.listenAddress then "[${cfg.listenAddress}]" else cfg.listenAddress;
in
{
  options.services.nixfleet-dashboard = {
    enable = mkEnableOption "the NixFleet dashboard";

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package-dashboard.nix { };
      defaultText = lib.literalExpression "nixfleet.packages.\${system}.nixfleet-dashboard";
      description = "The nixfleet-dashboard package to run.";
    };

    listenAddress = mkOption {
      type = types.str;
      default = "127.0.0.1";
      example = "0.0.0.0";
      description = "Address to listen on; keep the loopback default behind a reverse proxy.";
    };

    port = mkOption {
      type = types.port;
      default = 8000;
      description = "HTTP port (agents' /ws and the web pages).";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open the port in the firewall (only useful with a non-loopback listenAddress).";
    };

    dataDir = mkOption {
      type = types.str;
      default = "/var/lib/nixfleet";
      description = "Directory for the SQLite database and generated secrets.";
    };

    environmentFile = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "/run/secrets/nixfleet.env";
      description = ''
        File of NIXFLEET_* secrets (NIXFLEET_PASSWORD_HASH, NIXFLEET_TOTP_SECRET, NIXFLEET_SESSION_SECRET,
        NIXFLEET_AGENT_TOKEN), in the format of compose/nixfleet.env.example. Kept out of the Nix store.
      '';
    };

    logLevel = mkOption {
      type = types.enum [ "trace" "debug" "info" "warn" "error" "critical" ];
      default = "info";
      description = "Dashboard log level.";
    };

    settings = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { NIXFLEET_SESSION_DURATION = "12h"; };
      description = "Further non-secret NIXFLEET_* variables (see README.md's configuration table).";
    };
  };

  config = lib.mkIf cfg.enable {
    users.users.nixfleet = {
      isSystemUser = true;
      group = "nixfleet";
      home = cfg.dataDir;
      description = "NixFleet dashboard";
    };
    users.groups.nixfleet = { };

    systemd.tmpfiles.rules = [ "d ${cfg.dataDir} 0700 nixfleet nixfleet - -" ];

    networking.firewall.allowedTCPPorts = lib.mkIf cfg.openFirewall [ cfg.port ];

    systemd.services.nixfleet-dashboard = {
      description = "NixFleet dashboard";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      environment = cfg.settings // {
        NIXFLEET_LISTEN = "${listenHost}:${toString cfg.port}";
        NIXFLEET_DATA_DIR = cfg.dataDir;
        NIXFLEET_LOG_LEVEL = cfg.logLevel;
      };
      serviceConfig = {
        ExecStart = lib.getExe cfg.package;
        User = "nixfleet";
        Group = "nixfleet";
        WorkingDirectory = cfg.dataDir;
        EnvironmentFile = lib.optional (cfg.environmentFile != null) cfg.environmentFile;
        Restart = "on-failure";
        RestartSec = 5;
        UMask = "0077";
        ReadWritePaths = [ cfg.dataDir ];
        ProtectSystem = "strict";
        ProtectHome = true;
        PrivateTmp = true;
        PrivateDevices = true;
        NoNewPrivileges = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectControlGroups = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_UNIX" ];
      };
    };
  };
}
