using System.Collections.Concurrent;

namespace NixFleet.Web.Security;

/// <summary>
/// Sign-in attempts per client address in fixed one-minute windows: the 6th attempt in a window is refused until
/// the window ends, so nobody (the admin included) waits longer than one window. Every attempt counts, failed
/// codes too. The address is the peer's, or X-Forwarded-For's from a trusted proxy.
/// </summary>
public sealed class LoginRateLimiter(TimeProvider time)
{
    public const int Attempts = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new();

    private sealed class Counter(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Count;
    }

    /// <summary>Counts one attempt; returns null when allowed, else when the address may try again.</summary>
    public DateTimeOffset? TryAcquire(string address)
    {
        var now = time.GetUtcNow();
        if (_counters.Count > SweepAbove) Sweep(now);
        var counter = _counters.GetOrAdd(address, _ => new Counter(now));
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Count = 0;
            }
            if (counter.Count >= Attempts) return counter.Start + Window;
            counter.Count++;
            return null;
        }
    }

    // Many addresses (a spray) must not grow memory without bound: windows that ended hold nothing worth keeping.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
            if (now - counter.Start >= Window) _counters.TryRemove(key, out _);
    }
}
