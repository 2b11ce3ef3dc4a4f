using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>Kestrel's socket buffers come from the shared array pool; a frame spread over many of them arrives whole.</summary>
public sealed class SocketBufferTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Kestrel_takes_buffers_from_the_shared_array_pool_and_a_frame_over_many_buffers_arrives_whole()
    {
        Assert.Same(MemoryPool<byte>.Shared, App.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create());

        var repoUrl = "https://example.invalid/" + new string('r', 40_000); // ten 4 KB buffers and more
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("buffers-host", p => p["repo_url"] = repoUrl));

        var view = await App.HostAsync("buffers-host");
        Assert.True(view.Online);
        Assert.Equal(repoUrl, view.Registration!.RepoUrl);
    }
}
