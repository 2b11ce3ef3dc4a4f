using System.Security.Cryptography;
using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent;

/// <summary>A switch that replaces the agent binary, then <c>restart</c>: the next register shows the new binary.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentRestartTests : IDisposable
{
    private readonly AgentWorld _world = new();

    [Fact]
    public async Task Restart_exits_cleanly_and_the_next_register_shows_the_replaced_binary()
    {
        // Run the agent from a private copy of its build output, so the switch can change it.
        var install = Path.Combine(_world.Root, "install");
        Directory.CreateDirectory(install);
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(RepoPaths.AgentDll)!))
            if (Path.GetFileName(f).StartsWith("nixfleet-agent", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("NixFleet.Protocol", StringComparison.Ordinal))
                File.Copy(f, Path.Combine(install, Path.GetFileName(f)));
        var dll = Path.Combine(install, "nixfleet-agent.dll");

        await using var dash = await FakeDashboard.StartAsync();
        var env = _world.Env(dash, new() { ["FAKE_REPLACE_BINARY"] = dll });
        var first = AgentProcess.StartDll(dll, env);
        var reg1 = (await dash.WaitForTypeAsync(MessageTypes.Register)).As(ProtocolJsonContext.Default.RegisterPayload);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(dll))), reg1.BinaryHash);
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash.CommandAsync("switch", "c-upgrade");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-upgrade")).Str("status"));
        await dash.CommandAsync("restart", "c-restart");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-restart")).Str("status"));
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await first.Process.WaitForExitAsync(cts.Token);
        Assert.Equal(0, first.Process.ExitCode);
        await first.DisposeAsync();

        await using var second = AgentProcess.StartDll(dll, env); // the service manager's part
        var reg2 = (await dash.WaitForAsync(f => f.Type == MessageTypes.Register && f.Connection == 2)).As(ProtocolJsonContext.Default.RegisterPayload);
        Assert.NotEqual(reg1.BinaryHash, reg2.BinaryHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(dll))), reg2.BinaryHash);
    }

    public void Dispose() => _world.Dispose();
}
