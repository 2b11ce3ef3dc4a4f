using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Support;

/// <summary>Realistic domain values for tests.</summary>
public static class Samples
{
    public static HostRegistration Registration(string hostname, string generation = "abc1234") => new(
        hostname, "nixos", "2.4.0", "25.05.20250101.abcdef0", "25.05", generation, "#7aa2f7", 5, "home", "server",
        "git@example.invalid:fleet/config.git", "/var/lib/nixfleet-agent/repo",
        new AgentBinary("deadbee", "/nix/store/abc-nixfleet-agent-2.4.0", "sha256-xyz"), []);

    public static HostHeartbeat Heartbeat(string generation = "abc1234", double cpu = 12.5) => new(
        generation, "25.05", null, null, new HostMetrics(cpu, 40, 0, 0.5),
        new StatusCompartments(new Compartment("ok", "up to date", DateTimeOffset.UnixEpoch), Compartment.Unknown, Compartment.Unknown, Compartment.Unknown),
        new AgentBinary("deadbee", "/nix/store/abc-nixfleet-agent-2.4.0", "sha256-xyz"), "lockhash");
}
