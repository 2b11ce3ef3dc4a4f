# The agent's NIXFLEET_* environment from the module options; unset options are left out so the agent's
# own defaults apply. agentLink is where the service manager finds the agent after a switch: the agent compares
# it with itself after a successful switch and exits to be replaced when it differs.
{ lib, cfg, tokenFile, stateDir, agentLink }:
lib.filterAttrs (_: v: v != null) {
  NIXFLEET_URL = cfg.url;
  NIXFLEET_TOKEN_FILE = tokenFile;
  NIXFLEET_STATE_DIR = stateDir;
  NIXFLEET_REPO_URL = cfg.repoUrl;
  NIXFLEET_REPO_DIR = cfg.repoDir;
  NIXFLEET_BRANCH = cfg.branch;
  NIXFLEET_INTERVAL = toString cfg.interval;
  NIXFLEET_LOCATION = cfg.location;
  NIXFLEET_DEVICE_TYPE = cfg.deviceType;
  NIXFLEET_THEME_COLOR = cfg.themeColor;
  NIXFLEET_HOSTNAME = cfg.hostname;
  NIXFLEET_LOG_LEVEL = cfg.logLevel;
  NIXFLEET_SSH_KEY = cfg.sshKeyFile;
  NIXFLEET_AGENT_LINK = agentLink;
}
