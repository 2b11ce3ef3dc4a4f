using System.Net.WebSockets;
using System.Text;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>Malformed, oversized and out-of-order input closes only the offending socket, with the code PROTOCOL.md names.</summary>
public sealed class BadInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    private async Task<TestAgent> RegisteredAsync(string host)
    {
        var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register(host));
        return agent;
    }

    [Fact]
    public async Task A_frame_over_one_MiB_closes_with_1009_and_others_carry_on()
    {
        await using var bystander = await RegisteredAsync("bad-bystander-1");
        await using var agent = await RegisteredAsync("bad-big");
        var huge = "{\"type\":\"output\",\"payload\":{\"line\":\"" + new string('y', 1024 * 1024) + "\"}}";
        await agent.SendRawAsync(huge);
        var (code, _) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, code);
        await Eventually.TrueAsync(async () => !(await App.HostAsync("bad-big")).Online, "offender offline");
        await AssertStillWorksAsync(bystander, "bad-bystander-1");
    }

    [Fact]
    public async Task A_frame_of_almost_one_MiB_is_accepted()
    {
        await using var agent = await RegisteredAsync("bad-almost");
        var line = new string('z', 1000 * 1000);
        await agent.SendRawAsync("{\"type\":\"output\",\"payload\":{\"line\":\"" + line + "\",\"stream\":\"stdout\"}}");
        await Eventually.TrueAsync(() => App.Calls.For("bad-almost", nameof(IHostGrain.OutputAsync)).Any(), "big line delivered");
        Assert.Equal(line, ((IReadOnlyList<OutputLine>)App.Calls.For("bad-almost", nameof(IHostGrain.OutputAsync)).Single().Args[1]!)[0].Text);
        Assert.Equal(WebSocketState.Open, agent.State);
    }

    [Fact]
    public async Task Three_frames_that_are_not_envelopes_close_with_1007_two_do_not()
    {
        await using var bystander = await RegisteredAsync("bad-bystander-2");
        await using var agent = await RegisteredAsync("bad-json");
        await agent.SendRawAsync("this is not json");
        await agent.SendRawAsync("[1,2,3]");
        Assert.Null(await agent.MaybeNextAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(WebSocketState.Open, agent.State);
        // Still served after two bad frames.
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("5555555"));
        await Eventually.TrueAsync(async () => (await App.HostAsync("bad-json")).Generation == "5555555", "heartbeat between bad frames");

        await agent.SendRawAsync("{\"payload\":{}}");
        var (code, _) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, code);
        await AssertStillWorksAsync(bystander, "bad-bystander-2");
    }

    [Fact]
    public async Task Binary_frames_and_wrong_payload_shapes_count_as_bad_frames()
    {
        await using var agent = await RegisteredAsync("bad-shapes");
        await agent.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        await agent.SendRawAsync("{\"type\":\"heartbeat\",\"payload\":[1]}");
        await agent.SendRawAsync("{\"type\":\"heartbeat\",\"payload\":{\"metrics\":\"high\"}}");
        var (code, _) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, code);
    }

    [Fact]
    public async Task An_unknown_type_is_ignored()
    {
        await using var agent = await RegisteredAsync("bad-unknown");
        await agent.SendAsync("telemetry_v9", new { anything = 1 });
        await agent.SendAsync("also_unknown", new { });
        await agent.SendAsync("still_unknown", new { });
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("6666666"));
        await Eventually.TrueAsync(async () => (await App.HostAsync("bad-unknown")).Generation == "6666666", "heartbeat after unknown types");
        Assert.Equal(WebSocketState.Open, agent.State);
    }

    [Theory]
    [InlineData("heartbeat")]
    [InlineData("output")]
    [InlineData("something_else")]
    public async Task Any_message_before_register_closes_with_1008(string type)
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.SendAsync(type, new { line = "x" });
        var (code, reason) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("register", reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task An_invalid_hostname_closes_with_1008_and_the_reason(string hostname)
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.SendAsync("register", TestAgent.Register(hostname));
        var (code, reason) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("invalid hostname", reason);
        Assert.True(Encoding.UTF8.GetByteCount(reason!) <= 123);
    }

    [Fact]
    public async Task Longest_valid_hostname_registers()
    {
        var name = "b" + new string('9', 62);
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register(name));
        Assert.True((await App.HostAsync(name)).Online);
    }

    [Theory]
    [InlineData("windows")]
    [InlineData(null)]
    public async Task An_unknown_host_type_closes_with_1008_and_the_reason(string? hostType)
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.SendAsync("register", TestAgent.Register("bad-type", p => p["host_type"] = hostType));
        var (code, reason) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("host_type", reason);
        Assert.False((await App.HostAsync("bad-type")).Known);
    }

    [Fact]
    public async Task Registering_one_socket_as_a_second_host_closes_with_1008()
    {
        await using var agent = await RegisteredAsync("bad-twice");
        await agent.SendAsync("register", TestAgent.Register("bad-other"));
        var (code, _) = await agent.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.False((await App.HostAsync("bad-other")).Known);
    }

    private async Task AssertStillWorksAsync(TestAgent agent, string host)
    {
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("7777777"));
        await Eventually.TrueAsync(async () => (await App.HostAsync(host)).Generation == "7777777", "bystander still served");
        Assert.True((await App.HostAsync(host)).Online);
    }
}
