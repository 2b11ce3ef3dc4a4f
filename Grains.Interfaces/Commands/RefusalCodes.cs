namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>Codes of a refused command or action; the web maps them to 409 / 422.</summary>
public static class RefusalCodes
{
    public const string UnknownCommand = "unknown_command";
    public const string InvalidArgs = "invalid_args";
    public const string UnknownHost = "unknown_host";
    public const string HostOffline = "host_offline";
    public const string QueueFull = "queue_full";
    public const string Busy = "busy";
    public const string RateLimited = "rate_limited";
    public const string UnknownCommandId = "unknown_command_id";
    public const string NotRunning = "not_running";
    public const string NotQueued = "not_queued";

    /// <summary>Validation of the request itself (422); the rest are about the host's situation (409).</summary>
    public static readonly IReadOnlyList<string> Unprocessable = [UnknownCommand, InvalidArgs];
}
