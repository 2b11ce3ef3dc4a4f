namespace NixFleet.Agent;

/// <summary>
/// Keeps the idle agent at its working set. The GC sizes its gen0 budget from the CPU's cache, which some hosts
/// (VMs especially) report as hundreds of MB: an idle agent would then grow by its heartbeat garbage for hours
/// before the first collection. A small collection after each idle heartbeat (and a full one now and then)
/// costs well under a millisecond at this heap size.
/// </summary>
internal static class IdleMemory
{
    private static int _beats;

    public static void AfterHeartbeat()
    {
        if (++_beats % 60 == 0) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        else GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}
