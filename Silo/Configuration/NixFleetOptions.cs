using System.Net;
using Microsoft.Extensions.Logging;

namespace NixFleet.Silo.Configuration;

/// <summary>The validated settings of one dashboard process.</summary>
public sealed record NixFleetOptions
{
    public required ListenAddress Listen { get; init; }
    public required string DataDir { get; init; }
    public required string DbPath { get; init; }
    public string? PasswordHash { get; init; }
    public string? TotpSecret { get; init; }
    public string? SessionSecret { get; init; }
    public string? AgentToken { get; init; }
    public bool AllowSharedAgentToken { get; init; } = true;
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    public TimeSpan SessionDuration { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromHours(2);
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];
    public TimeSpan AuditRetention { get; init; } = TimeSpan.FromDays(90);
    public int SiloPort { get; init; }
    public TimeSpan OutputRetention { get; init; } = TimeSpan.FromDays(30);
    public TimeSpan ReconnectWindow { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Connection string for the grain store and the dashboard's own tables.</summary>
    public string SqliteConnectionString => $"Data Source={DbPath};Cache=Private;Default Timeout=30";
}

/// <summary>Where Kestrel listens. <see cref="Address"/> null means every interface.</summary>
public sealed record ListenAddress(IPAddress? Address, bool Localhost, int Port)
{
    public override string ToString() => Localhost ? $"localhost:{Port}" : $"{Address?.ToString() ?? "*"}:{Port}";
}
