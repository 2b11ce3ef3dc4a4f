namespace NixFleet.Tests.Auth;

/// <summary>One app shared by a test class; each test uses its own client address, so rate limits never mix.</summary>
public sealed class AuthAppFixture : IAsyncLifetime
{
    public AuthApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await AuthApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
