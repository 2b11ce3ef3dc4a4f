namespace NixFleet.Grains.Commands;

/// <summary>Limits of the command machinery. One instance per silo, from configuration or tests.</summary>
public sealed record CommandOptions
{
    public int QueueLimit { get; init; } = 20;
    public TimeSpan OfflineExpiry { get; init; } = TimeSpan.FromHours(1);
    public int HistoryLimit { get; init; } = 200;

    public IReadOnlyDictionary<string, CommandTimeout> Timeouts { get; init; } = new Dictionary<string, CommandTimeout>
    {
        ["pull"] = new(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)),
        ["test"] = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)),
        ["switch"] = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)),
        ["pull-switch"] = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)),
    };

    public CommandTimeout DefaultTimeout { get; init; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

    /// <summary>
    /// After a switch exits 0, a restart/reboot is sent, the agent drops mid-switch, or the dashboard restarted mid-command,
    /// the agent must be back (and, after a dashboard restart, report the command) within this.
    /// </summary>
    public TimeSpan ReconnectWithin { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Stop: SIGTERM, then after this the agent's <c>stop</c>, then SIGKILL, then give up waiting.</summary>
    public TimeSpan StopStep { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a pull's exit waits for the fresh git status before deciding with what is known.</summary>
    public TimeSpan OutcomeGrace { get; init; } = TimeSpan.FromSeconds(15);

    public int RebootsPerHour { get; init; } = 5;

    public TimeSpan OutputRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Real-time period at which grains compare deadlines with their clock.</summary>
    public TimeSpan TickPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public CommandTimeout TimeoutFor(string op) => Timeouts.TryGetValue(op, out var t) ? t : DefaultTimeout;
}
