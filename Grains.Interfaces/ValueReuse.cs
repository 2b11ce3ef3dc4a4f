using System.Diagnostics.CodeAnalysis;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Interfaces;

/// <summary>
/// Host facts arrive anew every few seconds (a heartbeat, a summary read off the stream) and are kept until the next
/// ones: long enough to outlive a few gen0 collections and die in gen2, where every byte brings the next full
/// collection nearer. Most arrivals repeat what is kept except for metrics and check times, so the keeper holds the
/// new value built from the instances it already has wherever they are equal. Values never change; only which equal
/// instance is kept.
/// </summary>
public static class ValueReuse
{
    public static HostSummary Keep(HostSummary? last, HostSummary next)
    {
        if (last is null || last.Hostname != next.Hostname) return next;
        var kept = new HostSummary(last.Hostname, Same(last.HostType, next.HostType), Same(last.Location, next.Location),
            Same(last.DeviceType, next.DeviceType), Same(last.ThemeColor, next.ThemeColor), next.Online, next.LastSeen,
            Same(last.Generation, next.Generation), Same(last.AgentVersion, next.AgentVersion),
            last.Metrics == next.Metrics ? last.Metrics : next.Metrics, Keep(last.Compartments, next.Compartments),
            Same(last.PendingCommand, next.PendingCommand));
        return kept == last ? last : kept;
    }

    [return: NotNullIfNotNull(nameof(next))]
    public static StatusCompartments? Keep(StatusCompartments? last, StatusCompartments? next)
    {
        if (last is null || next is null) return next;
        if (last == next) return last;
        var (git, lck, system, tests) = (Keep(last.Git, next.Git), Keep(last.Lock, next.Lock), Keep(last.System, next.System),
            Keep(last.Tests, next.Tests));
        // Often the new value already is made of the kept instances (statuses are shared, messages empty).
        return ReferenceEquals(git, next.Git) && ReferenceEquals(lck, next.Lock) && ReferenceEquals(system, next.System)
            && ReferenceEquals(tests, next.Tests) ? next : new StatusCompartments(git, lck, system, tests);
    }

    public static Compartment Keep(Compartment last, Compartment next)
    {
        if (last == next) return last;
        // The shared instance of a status name wins over any other (the kept one may have been read from storage).
        var known = Compartment.KnownStatus(next.Status);
        var status = known == next.Status ? known : Same(last.Status, next.Status);
        var message = Same(last.Message, next.Message);
        return ReferenceEquals(status, next.Status) && ReferenceEquals(message, next.Message) ? next
            : new Compartment(status, message, next.CheckedAt);
    }

    [return: NotNullIfNotNull(nameof(next))]
    public static string? Same(string? last, string? next) => last == next ? last : next;
}
