using NixFleet.Grains.Interfaces;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// A host keeps its last heartbeat until the next one (see <see cref="ValueReuse"/>): at 10,000 hosts reusing the
/// previous beat's strings and records is about 1 KB less long-lived garbage per heartbeat (2,000 a second).
/// </summary>
internal static class HeartbeatReuse
{
    public static HostHeartbeat Keep(HostHeartbeat? last, HostHeartbeat next)
    {
        if (last is null) return next;
        return new HostHeartbeat(
            ValueReuse.Same(last.Generation, next.Generation),
            ValueReuse.Same(last.NixpkgsVersion, next.NixpkgsVersion),
            ValueReuse.Same(last.PendingCommand, next.PendingCommand),
            next.CommandPid,
            next.Metrics,
            ValueReuse.Keep(last.Compartments, next.Compartments),
            last.Binary == next.Binary ? last.Binary : next.Binary,
            ValueReuse.Same(last.LockHash, next.LockHash));
    }
}
