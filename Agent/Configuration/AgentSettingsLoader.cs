using System.Globalization;
using System.Text.RegularExpressions;

namespace NixFleet.Agent.Configuration;

/// <summary>Reads and validates the NIXFLEET_* variables; the first problem becomes a <see cref="ConfigException"/>.</summary>
internal static partial class AgentSettingsLoader
{
    public static AgentSettings Load(IReadOnlyDictionary<string, string> env, HostKind kind)
    {
        string? Get(string name) => env.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        ConfigException Bad(string name, string expected) => new($"{name}: invalid value \"{Get(name)}\", expected {expected}");

        var url = ParseUrl(Get("NIXFLEET_URL") ?? throw new ConfigException("NIXFLEET_URL is required (the dashboard URL, e.g. wss://fleet.example.com/ws)"))
                  ?? throw Bad("NIXFLEET_URL", "a ws://, wss://, http:// or https:// URL");

        var token = Get("NIXFLEET_TOKEN");
        var tokenFile = Get("NIXFLEET_TOKEN_FILE");
        if (token is null && tokenFile is not null)
        {
            try { token = File.ReadAllText(tokenFile).Trim(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"NIXFLEET_TOKEN_FILE: cannot read {tokenFile}: {ex.Message}");
            }
            if (token.Length == 0) throw new ConfigException($"NIXFLEET_TOKEN_FILE: {tokenFile} is empty");
        }
        if (token is null) throw new ConfigException("NIXFLEET_TOKEN or NIXFLEET_TOKEN_FILE is required (the agent token)");

        var stateDir = Get("NIXFLEET_STATE_DIR") ?? DefaultStateDir(env);
        if (!Path.IsPathRooted(stateDir)) throw Bad("NIXFLEET_STATE_DIR", "an absolute path");

        var repoUrl = Get("NIXFLEET_REPO_URL");
        var repoDir = Get("NIXFLEET_REPO_DIR") ?? (repoUrl is not null ? Path.Combine(stateDir, "repo")
            : throw new ConfigException("NIXFLEET_REPO_DIR is required when NIXFLEET_REPO_URL is not set (the config repo checkout)"));
        if (!Path.IsPathRooted(repoDir)) throw Bad("NIXFLEET_REPO_DIR", "an absolute path");

        var branch = Get("NIXFLEET_BRANCH") ?? "main";
        if (!BranchName().IsMatch(branch) || branch.Contains("..")) throw Bad("NIXFLEET_BRANCH", "a git branch name");

        var sshKey = Get("NIXFLEET_SSH_KEY");
        if (sshKey is not null && !File.Exists(sshKey)) throw new ConfigException($"NIXFLEET_SSH_KEY: file {sshKey} does not exist");

        var hostname = Get("NIXFLEET_HOSTNAME") ?? Environment.MachineName.Split('.')[0];
        if (!HostName().IsMatch(hostname)) throw Bad("NIXFLEET_HOSTNAME", "letters, digits, '-', '_' or '.'");

        var interval = 30;
        if (Get("NIXFLEET_INTERVAL") is { } iv && (!int.TryParse(iv, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval is < 1 or > 3600))
            throw Bad("NIXFLEET_INTERVAL", "seconds between 1 and 3600");

        var level = (Get("NIXFLEET_LOG_LEVEL") ?? "info").ToLowerInvariant() switch
        {
            "debug" or "trace" => LogLevel.Debug, "info" => LogLevel.Info, "warn" or "warning" => LogLevel.Warn,
            "error" => LogLevel.Error, _ => throw Bad("NIXFLEET_LOG_LEVEL", "debug, info, warn or error"),
        };

        var color = Get("NIXFLEET_THEME_COLOR") ?? (kind == HostKind.MacOS ? "#bb9af7" : "#7aa2f7");
        if (!Color().IsMatch(color)) throw Bad("NIXFLEET_THEME_COLOR", "#rrggbb");

        var location = (Get("NIXFLEET_LOCATION") ?? "home").ToLowerInvariant();
        if (location is not ("home" or "work" or "cloud")) throw Bad("NIXFLEET_LOCATION", "home, work or cloud");

        var device = (Get("NIXFLEET_DEVICE_TYPE") ?? (kind == HostKind.MacOS ? "desktop" : "server")).ToLowerInvariant();
        if (device is not ("server" or "desktop" or "laptop" or "gaming")) throw Bad("NIXFLEET_DEVICE_TYPE", "server, desktop, laptop or gaming");

        var buffer = 10_000;
        if (Get("NIXFLEET_OUTPUT_BUFFER") is { } b && (!int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out buffer) || buffer is < 100 or > 1_000_000))
            throw Bad("NIXFLEET_OUTPUT_BUFFER", "a line count between 100 and 1000000");

        var reconnectMax = 60;
        if (Get("NIXFLEET_RECONNECT_MAX") is { } rm && (!int.TryParse(rm, NumberStyles.None, CultureInfo.InvariantCulture, out reconnectMax) || reconnectMax is < 1 or > 3600))
            throw Bad("NIXFLEET_RECONNECT_MAX", "seconds between 1 and 3600");

        var agentLink = Get("NIXFLEET_AGENT_LINK");
        if (agentLink is not null && !Path.IsPathRooted(agentLink)) throw Bad("NIXFLEET_AGENT_LINK", "an absolute path");

        return new AgentSettings(url, token, repoUrl, repoDir, branch, sshKey, hostname, interval, level, color, location,
            device, stateDir, Get("NIXFLEET_NIXPKGS_VERSION"), buffer, kind, reconnectMax, agentLink);
    }

    /// <summary>ws(s) URL of the agent endpoint; /ws is added when the URL has no path.</summary>
    public static Uri? ParseUrl(string raw)
    {
        if (!raw.Contains("://", StringComparison.Ordinal)) raw = "wss://" + raw;
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)) return null;
        var scheme = uri.Scheme switch { "ws" or "http" => "ws", "wss" or "https" => "wss", _ => null };
        if (scheme is null) return null;
        var b = new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port };
        if (b.Path is "" or "/") b.Path = "/ws";
        return b.Uri;
    }

    private static string DefaultStateDir(IReadOnlyDictionary<string, string> env)
    {
        if (env.TryGetValue("XDG_STATE_HOME", out var xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "nixfleet-agent");
        if (Environment.UserName == "root") return "/var/lib/nixfleet-agent";
        var home = env.TryGetValue("HOME", out var h) && Path.IsPathRooted(h) ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", "nixfleet-agent");
    }

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,200}$")] private static partial Regex BranchName();
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")] private static partial Regex HostName();
    [GeneratedRegex("^#[0-9a-fA-F]{6}$")] private static partial Regex Color();
}
