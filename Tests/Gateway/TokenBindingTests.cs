using System.Net;
using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>Per-host tokens: bound to their host, they lock the shared token out of it, and die with revocation or deletion.</summary>
public sealed class TokenBindingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task A_hosts_token_cannot_register_another_host()
    {
        var tokenA = await App.Tokens.CreateAsync("bind-a");
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, tokenA.Token);
        await agent.SendAsync("register", TestAgent.Register("bind-b"));
        var (code, reason) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("bind-b", reason);
        Assert.False((await App.HostAsync("bind-b")).Known);

        await using var right = await TestAgent.ConnectAsync(App.WsUri, tokenA.Token);
        await right.RegisterAsync(TestAgent.Register("bind-a"));
        Assert.True((await App.HostAsync("bind-a")).Online);
    }

    [Fact]
    public async Task Once_a_host_has_its_own_token_the_shared_token_cannot_register_it()
    {
        await using (var before = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken))
            await before.RegisterAsync(TestAgent.Register("bind-locked"));

        await App.Tokens.CreateAsync("bind-locked");
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.SendAsync("register", TestAgent.Register("bind-locked"));
        var (code, reason) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("own token", reason);
    }

    [Fact]
    public async Task A_revoked_token_gets_401()
    {
        var token = await App.Tokens.CreateAsync("bind-revoked");
        await using (var agent = await TestAgent.ConnectAsync(App.WsUri, token.Token))
            await agent.RegisterAsync(TestAgent.Register("bind-revoked"));

        Assert.Equal(1, await App.Tokens.RevokeAsync(token.Info.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(App.WsUri, token.Token));
        Assert.DoesNotContain(await App.Tokens.ListAsync(), t => t.Id == token.Info.Id);
    }

    [Fact]
    public async Task Tokens_are_stored_as_hashes_and_listed_without_secrets()
    {
        var token = await App.Tokens.CreateAsync("bind-listed");
        var listed = Assert.Single(await App.Tokens.ListAsync(), t => t.Hostname == "bind-listed");
        Assert.Equal(token.Info.Id, listed.Id);
        var secret = token.Token[(token.Token.LastIndexOf('_') + 1)..];
        var file = await File.ReadAllBytesAsync(App.Options.DbPath);
        var wal = File.Exists(App.Options.DbPath + "-wal") ? await File.ReadAllBytesAsync(App.Options.DbPath + "-wal") : [];
        Assert.DoesNotContain(secret, System.Text.Encoding.Latin1.GetString(file) + System.Text.Encoding.Latin1.GetString(wal));
    }

    [Fact]
    public async Task Deleting_a_host_revokes_its_tokens_closes_its_socket_and_clears_its_state()
    {
        var token = await App.Tokens.CreateAsync("bind-deleted");
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, token.Token);
        await agent.RegisterAsync(TestAgent.Register("bind-deleted"));
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("fedcba9"));
        await Eventually.TrueAsync(async () => (await App.HostAsync("bind-deleted")).Generation == "fedcba9", "heartbeat recorded");

        await App.Grains.GetGrain<IHostGrain>("bind-deleted").DeleteAsync();

        var (code, _) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(App.WsUri, token.Token));
        var view = await App.HostAsync("bind-deleted");
        Assert.False(view.Known);
        Assert.Null(view.Generation);
        Assert.DoesNotContain(await App.Grains.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync(), h => h.Hostname == "bind-deleted");

        // A new machine re-using the name starts clean, with the shared token again.
        await using var fresh = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await fresh.RegisterAsync(TestAgent.Register("bind-deleted", p => p["generation"] = "0000001"));
        var again = await App.HostAsync("bind-deleted");
        Assert.True(again.Online);
        Assert.Equal("0000001", again.Generation);
        Assert.Null(again.LastHeartbeat);
    }
}
