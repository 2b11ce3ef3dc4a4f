namespace NixFleet.LoadTool;

/// <summary>The real agent's reconnect delays (Agent/Connection/Backoff.cs): 1 s doubling to 60 s, each plus up to 50 % jitter.</summary>
internal sealed class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    private TimeSpan _next = First;

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(Max.Ticks, _next.Ticks * 2));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.5 * Random.Shared.NextDouble()));
    }

    public void Reset() => _next = First;
}
