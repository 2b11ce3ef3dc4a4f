using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace NixFleet.Silo.Configuration;

/// <summary>
/// Reads and validates the <c>NIXFLEET_*</c> variables. An invalid value throws <see cref="ConfigurationError"/>;
/// there is never a silent fallback. Notes for the operator (v1 names, obsolete ones) go to <c>warnings</c>.
/// </summary>
public static partial class SettingsLoader
{
    public static NixFleetOptions Load(Func<string, string?> env, ICollection<string> warnings, string? workingDirectory = null)
    {
        string? Read(Setting s)
        {
            var value = env(s.Name);
            if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            foreach (var legacy in s.LegacyNames)
            {
                var old = env(legacy);
                if (string.IsNullOrWhiteSpace(old)) continue;
                warnings.Add($"{legacy} is a NixFleet v1 name; rename it to {s.Name}.");
                return old.Trim();
            }
            return null;
        }

        if (!string.IsNullOrWhiteSpace(env(Settings.ObsoleteHashSecret)))
            warnings.Add($"{Settings.ObsoleteHashSecret} is ignored: per-host tokens are stored as plain SHA-256 hashes.");

        var cwd = workingDirectory ?? Directory.GetCurrentDirectory();
        var dataDir = Path.GetFullPath(Read(Settings.DataDir) ?? "data", cwd);
        var dbPath = Read(Settings.DbPath) is { } db ? Path.GetFullPath(db, cwd) : Path.Combine(dataDir, "nixfleet.db");
        if (dbPath.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(dbPath))
            throw new ConfigurationError(Settings.DbPath.Name, $"'{dbPath}' is a directory; expected the path of a database file.");

        var agentToken = Read(Settings.AgentToken);
        if (agentToken is { Length: < 16 })
            warnings.Add($"{Settings.AgentToken.Name} is shorter than 16 characters; use a long random token.");

        return new NixFleetOptions
        {
            Listen = ParseListen(Read(Settings.Listen) ?? Settings.Listen.Default),
            DataDir = dataDir,
            DbPath = dbPath,
            PasswordHash = ValidatePasswordHash(Read(Settings.PasswordHash)),
            TotpSecret = ValidateTotpSecret(Read(Settings.TotpSecret)),
            SessionSecret = ValidateSessionSecret(Read(Settings.SessionSecret)),
            AgentToken = agentToken,
            AllowSharedAgentToken = ParseBool(Settings.AllowSharedAgentToken, Read(Settings.AllowSharedAgentToken) ?? "true"),
            LogLevel = ParseLogLevel(Read(Settings.LogLevel) ?? "info"),
            AllowedOrigins = ParseOrigins(Read(Settings.AllowedOrigins)),
            SessionDuration = ParseDuration(Settings.SessionDuration, Read(Settings.SessionDuration) ?? "24h"),
            SessionIdleTimeout = ParseDuration(Settings.SessionIdleTimeout, Read(Settings.SessionIdleTimeout) ?? "2h"),
            TrustedProxies = ParseNetworks(Read(Settings.TrustedProxies)),
            AuditRetention = ParseDuration(Settings.AuditRetention, Read(Settings.AuditRetention) ?? "90d"),
            OutputRetention = ParseDuration(Settings.OutputRetention, Read(Settings.OutputRetention) ?? "30d"),
            ReconnectWindow = ParseDuration(Settings.ReconnectWindow, Read(Settings.ReconnectWindow) ?? "90s"),
            SiloPort = ParsePort(Settings.SiloPort, Read(Settings.SiloPort) ?? "0", allowZero: true),
        };
    }

    public static ListenAddress ParseListen(string value)
    {
        const string accepted = "expected host:port, :port or [v6-address]:port with a port from 1 to 65535";
        var name = Settings.Listen.Name;
        var colon = value.LastIndexOf(':');
        if (colon < 0) throw new ConfigurationError(name, $"'{value}' has no port; {accepted}.");
        var host = value[..colon];
        var port = ParsePort(Settings.Listen, value[(colon + 1)..], allowZero: false);
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host is "" or "*" or "0.0.0.0") return new ListenAddress(null, false, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ListenAddress(null, true, port);
        if (IPAddress.TryParse(host, out var ip)) return new ListenAddress(ip, false, port);
        throw new ConfigurationError(name, $"'{host}' is not an IP address or localhost; {accepted}.");
    }

    private static int ParsePort(Setting s, string text, bool allowZero)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535 && (allowZero || port > 0))
            return port;
        throw new ConfigurationError(s.Name, $"'{text}' is not a port; expected a number from {(allowZero ? 0 : 1)} to 65535.");
    }

    private static string? ValidatePasswordHash(string? hash)
    {
        if (hash is null) return null;
        if (BcryptHash().IsMatch(hash)) return hash;
        throw new ConfigurationError(Settings.PasswordHash.Name,
            "not a bcrypt hash; expected $2a$, $2b$ or $2y$, a two-digit cost and 53 characters (make one with: nixfleet-dashboard hash-password).");
    }

    private static string? ValidateTotpSecret(string? secret)
    {
        if (secret is null) return null;
        var normalized = secret.Replace(" ", "").TrimEnd('=').ToUpperInvariant();
        if (normalized.Length >= 16 && Base32().IsMatch(normalized)) return normalized;
        throw new ConfigurationError(Settings.TotpSecret.Name, "not a base32 secret; expected at least 16 characters of A-Z and 2-7.");
    }

    private static string? ValidateSessionSecret(string? secret)
    {
        if (secret is null || secret.Length >= 32) return secret;
        throw new ConfigurationError(Settings.SessionSecret.Name, $"too short ({secret.Length} characters); expected at least 32.");
    }

    private static bool ParseBool(Setting s, string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ConfigurationError(s.Name, $"'{text}' is not a boolean; expected true or false."),
    };

    private static LogLevel ParseLogLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" or "fatal" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new ConfigurationError(Settings.LogLevel.Name, $"'{text}' is not a log level; expected trace, debug, info, warn, error or critical."),
    };

    private static IReadOnlyList<string> ParseOrigins(string? text)
    {
        if (text is null) return [];
        var origins = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query != "" || part.EndsWith('/'))
                throw new ConfigurationError(Settings.AllowedOrigins.Name, $"'{part}' is not an origin; expected scheme://host[:port], comma-separated.");
            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }
        return origins;
    }

    /// <summary>Addresses (<c>10.0.0.1</c>, <c>::1</c>) or CIDR ranges (<c>10.0.0.0/8</c>), comma-separated.</summary>
    private static IReadOnlyList<IPNetwork> ParseNetworks(string? text)
    {
        if (text is null) return [];
        var networks = new List<IPNetwork>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(part, out var ip) && !part.Contains('/'))
                networks.Add(new IPNetwork(ip, ip.GetAddressBytes().Length * 8));
            else if (IPNetwork.TryParse(part, out var net))
                networks.Add(net);
            else
                throw new ConfigurationError(Settings.TrustedProxies.Name, $"'{part}' is not an IP address or CIDR range; expected e.g. 127.0.0.1 or 10.0.0.0/8, comma-separated.");
        }
        return networks;
    }

    /// <summary>Go-style durations (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>1h30m</c>) plus days (<c>7d</c>).</summary>
    public static TimeSpan ParseDuration(Setting s, string text)
    {
        var match = Duration().Match(text);
        if (match.Success)
        {
            var total = TimeSpan.Zero;
            foreach (Capture c in match.Groups["part"].Captures)
            {
                var n = double.Parse(c.Value[..^1].TrimEnd('m'), CultureInfo.InvariantCulture);
                total += c.Value switch
                {
                    _ when c.Value.EndsWith("ms") => TimeSpan.FromMilliseconds(n),
                    _ when c.Value.EndsWith('d') => TimeSpan.FromDays(n),
                    _ when c.Value.EndsWith('h') => TimeSpan.FromHours(n),
                    _ when c.Value.EndsWith('m') => TimeSpan.FromMinutes(n),
                    _ => TimeSpan.FromSeconds(n),
                };
            }
            if (total > TimeSpan.Zero && total <= TimeSpan.FromDays(366)) return total;
        }
        throw new ConfigurationError(s.Name, $"'{text}' is not a duration; expected a positive value like 30m, 12h or 7d (at most 366d).");
    }

    [GeneratedRegex(@"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();

    [GeneratedRegex("^[A-Z2-7]+$")]
    private static partial Regex Base32();

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|d|h|m|s))+$")]
    private static partial Regex Duration();
}
