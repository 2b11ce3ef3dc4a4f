using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>One in-process dashboard shared by a test class; tests use their own hostnames.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public GatewayApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await GatewayApp.StartAsync(GatewayApp.OptionsFor(_dir.Path));

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        _dir.Dispose();
    }
}
