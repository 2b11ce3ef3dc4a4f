namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>The Orleans stream on which every web node hears about host changes, in batches.</summary>
public static class FleetStreams
{
    public const string Provider = "nixfleet";
    public const string HostChangesNamespace = "fleet-hosts";
    public const string HostChangesKey = "all";
}
