using System.Diagnostics;

namespace NixFleet.LoadTool;

/// <summary>Counters shared by every simulated agent.</summary>
internal sealed class LoadStats
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _everRegistered;
    private int _online;
    public int Disconnects;
    public int Registrations;
    public int Commands;
    public double? AllRegisteredAt { get; private set; }
    public int Target { get; init; }

    public double Elapsed => _clock.Elapsed.TotalSeconds;
    public int Online => Volatile.Read(ref _online);
    public int EverRegistered => Volatile.Read(ref _everRegistered);

    public void Registered(bool first)
    {
        Interlocked.Increment(ref _online);
        Interlocked.Increment(ref Registrations);
        if (first && Interlocked.Increment(ref _everRegistered) == Target) AllRegisteredAt = Elapsed;
    }

    public void Dropped()
    {
        Interlocked.Decrement(ref _online);
        Interlocked.Increment(ref Disconnects);
    }
}
