namespace NixFleet.Agent.Configuration;

public enum HostKind { NixOS, MacOS }

/// <summary>The agent's validated configuration.</summary>
internal sealed record AgentSettings(
    Uri Url, string Token, string? RepoUrl, string RepoDir, string Branch, string? SshKey, string Hostname,
    int IntervalSeconds, LogLevel LogLevel, string ThemeColor, string Location, string DeviceType,
    string StateDir, string? NixpkgsVersionOverride, int OutputBuffer, HostKind Kind, int ReconnectMaxSeconds = 60,
    string? AgentLink = null)
{
    public bool IsolatedRepo => RepoUrl is not null;
}

public enum LogLevel { Debug, Info, Warn, Error }
