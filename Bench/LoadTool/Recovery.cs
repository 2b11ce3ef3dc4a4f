using System.Globalization;

namespace NixFleet.LoadTool;

/// <summary>
/// After every agent had registered once: each time the online count falls (a dashboard restart, a mass drop),
/// how long until all are online again, and how many registrations the dashboard accepted meanwhile.
/// </summary>
internal sealed class Recovery(int agents)
{
    private readonly List<(double From, double Back, int Registrations)> _done = [];
    private (double From, int RegistrationsBefore)? _open;
    private bool _sawBelow; // an announced event counts once its effect was seen

    /// <summary>Called once a second with the counters.</summary>
    public void Sample(double elapsed, bool allRegisteredOnce, int online, int registrations)
    {
        if (online < agents) _sawBelow = true;
        if (_open is null && allRegisteredOnce && online < agents) _open = (elapsed, registrations);
        else if (_open is { } o && online == agents && _sawBelow)
        {
            _done.Add((o.From, elapsed - o.From, registrations - o.RegistrationsBefore));
            _open = null;
        }
    }

    /// <summary>The time of a known event (the tool's own drop, or a restart the runner announced) replaces the first sample below N.</summary>
    public void MarkEvent(double elapsed, int registrations)
    {
        if (_open is { } o) _open = (Math.Min(o.From, elapsed), o.RegistrationsBefore);
        else (_open, _sawBelow) = ((elapsed, registrations), false);
    }

    public string Report() => _done.Count == 0
        ? _open is { } o ? string.Create(CultureInfo.InvariantCulture, $"not within the run (below {agents} since {o.From:0} s)") : "no drop"
        : string.Join("; ", _done.Select(d => string.Create(CultureInfo.InvariantCulture,
            $"{d.Back:0.0} s (from {d.From:0} s; {d.Registrations} registrations meanwhile)")));
}
