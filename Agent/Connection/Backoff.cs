namespace NixFleet.Agent.Connection;

/// <summary>Reconnect delays: 1 s doubling to 60 s (or the configured maximum), each plus up to 50 % random jitter so a fleet spreads out.</summary>
internal sealed class Backoff(Random? random = null, TimeSpan? max = null)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(60);

    private readonly Random _random = random ?? Random.Shared;
    private readonly TimeSpan _max = max is { } m && m > First ? m : max is null ? DefaultMax : First;
    private TimeSpan _next = First;

    public TimeSpan Next()
    {
        var baseDelay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return baseDelay + TimeSpan.FromTicks((long)(baseDelay.Ticks * 0.5 * _random.NextDouble()));
    }

    public void Reset() => _next = First;
}
