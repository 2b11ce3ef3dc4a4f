namespace NixFleet.Silo.Configuration;

/// <summary>Every <c>NIXFLEET_*</c> variable of the dashboard, with its default and meaning.</summary>
public static class Settings
{
    public static readonly Setting Listen = new("NIXFLEET_LISTEN", "0.0.0.0:8000", "Address and port to listen on: host:port, :port or [v6]:port.");
    public static readonly Setting DataDir = new("NIXFLEET_DATA_DIR", "./data", "Directory for the database and generated secrets.");
    public static readonly Setting DbPath = new("NIXFLEET_DB_PATH", "$NIXFLEET_DATA_DIR/nixfleet.db", "SQLite database file.");
    public static readonly Setting PasswordHash = new("NIXFLEET_PASSWORD_HASH", "", "bcrypt hash ($2a$/$2b$/$2y$) of the operator password; generated on first start when unset.");
    public static readonly Setting TotpSecret = new("NIXFLEET_TOTP_SECRET", "", "Base32 TOTP secret; when set, sign-in also asks for a 6-digit code.");
    public static readonly Setting SessionSecret = new("NIXFLEET_SESSION_SECRET", "", "Secret (32+ characters) the session keys derive from; same on every node of a cluster.", "NIXFLEET_SESSION_SECRETS");
    public static readonly Setting AgentToken = new("NIXFLEET_AGENT_TOKEN", "", "Fleet-wide shared agent token; generated on first start when unset.", "NIXFLEET_API_TOKEN");
    public static readonly Setting AllowSharedAgentToken = new("NIXFLEET_ALLOW_SHARED_AGENT_TOKEN", "true", "false turns the shared agent token off: hosts need their own tokens.");
    public static readonly Setting LogLevel = new("NIXFLEET_LOG_LEVEL", "info", "trace, debug, info, warn, error or critical.");
    public static readonly Setting AllowedOrigins = new("NIXFLEET_ALLOWED_ORIGINS", "", "Comma-separated extra origins (https://host[:port]) allowed for browser connections.");
    public static readonly Setting SessionDuration = new("NIXFLEET_SESSION_DURATION", "24h", "Absolute session lifetime, e.g. 30m, 12h, 7d.");
    public static readonly Setting SessionIdleTimeout = new("NIXFLEET_SESSION_IDLE_TIMEOUT", "2h", "A session unused for this long ends (at most the session duration), e.g. 30m, 2h.");
    public static readonly Setting TrustedProxies = new("NIXFLEET_TRUSTED_PROXIES", "", "Comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For/-Proto are believed.");
    public static readonly Setting AuditRetention = new("NIXFLEET_AUDIT_RETENTION", "90d", "How long audit entries are kept, e.g. 30d, 365d.");
    public static readonly Setting OutputRetention = new("NIXFLEET_OUTPUT_RETENTION", "30d", "How long command output is kept, e.g. 7d, 720h.");
    public static readonly Setting ReconnectWindow = new("NIXFLEET_RECONNECT_WINDOW", "90s", "How long an agent has to come back after a switch, restart or reboot (else timed_out), or to report a command in flight when the dashboard restarted (else interrupted), e.g. 90s, 3m.");
    public static readonly Setting SiloPort = new("NIXFLEET_SILO_PORT", "0", "Orleans silo-to-silo port; 0 picks a free loopback port (single node).");

    /// <summary>Read only to warn that it no longer does anything.</summary>
    public const string ObsoleteHashSecret = "NIXFLEET_AGENT_TOKEN_HASH_SECRET";

    public static readonly IReadOnlyList<Setting> All =
    [
        Listen, DataDir, DbPath, PasswordHash, TotpSecret, SessionSecret, AgentToken, AllowSharedAgentToken,
        LogLevel, AllowedOrigins, SessionDuration, SessionIdleTimeout, TrustedProxies, AuditRetention, SiloPort, OutputRetention,
        ReconnectWindow,
    ];
}
