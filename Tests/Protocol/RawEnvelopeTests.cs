using System.Text;
using NixFleet.Protocol;

namespace NixFleet.Tests.Protocol;

/// <summary>The one-pass envelope reader: what it accepts, what it refuses and why, and the payload it hands out.</summary>
public sealed class RawEnvelopeTests
{
    [Theory]
    [InlineData("""{"type":"heartbeat","payload":{"generation":"abc1234","metrics":null}}""", "abc1234")]
    [InlineData("""{"payload":{"generation":"abc1234"},"type":"heartbeat"}""", "abc1234")]
    [InlineData(""" { "type" : "heartbeat" , "payload" : { "generation" : "a\"b" } } """, "a\"b")]
    [InlineData("""{"type":"heartbeat","payload":{"generation":"g"},"extra":[1,{"a":[2]}]}""", "g")]
    [InlineData("""{"type":"heartbeat"}""", null)]
    [InlineData("""{"type":"heartbeat","payload":null}""", null)]
    public void Accepts_an_envelope_and_reads_its_payload_where_it_lies(string text, string? generation)
    {
        Assert.True(RawEnvelope.TryParse(Encoding.UTF8.GetBytes(text), out var e, out var error), error);
        Assert.Equal("heartbeat", e.Type);
        Assert.Equal(generation, e.PayloadAs(ProtocolJsonContext.Default.HeartbeatPayload)?.Generation);
        Assert.True(Envelope.TryParse(Encoding.UTF8.GetBytes(text), out var document, out _));
        Assert.Equal(generation, document.PayloadAs(ProtocolJsonContext.Default.HeartbeatPayload)?.Generation);
    }

    [Fact]
    public void A_payload_of_the_wrong_shape_is_null_not_an_error()
    {
        Assert.True(RawEnvelope.TryParse("""{"type":"heartbeat","payload":{"generation":7}}"""u8.ToArray(), out var e, out _));
        Assert.Null(e.PayloadAs(ProtocolJsonContext.Default.HeartbeatPayload));
    }

    [Theory]
    [InlineData("""{"type":"","payload":{}}""", "envelope has no string \"type\"")]
    [InlineData("""{"type":5,"payload":{}}""", "envelope has no string \"type\"")]
    [InlineData("""{"type":{"nested":"heartbeat"}}""", "envelope has no string \"type\"")]
    [InlineData("""{"payload":{}}""", "envelope has no string \"type\"")]
    [InlineData("""{"type":"heartbeat","payload":[1,2]}""", "envelope \"payload\" is not an object")]
    [InlineData("""{"type":"heartbeat","payload":"text"}""", "envelope \"payload\" is not an object")]
    [InlineData("""[{"type":"heartbeat"}]""", "frame is not a JSON object")]
    [InlineData("\"heartbeat\"", "frame is not a JSON object")]
    [InlineData("""{"type":"heartbeat","payload":{"generation":"abc"}""", "invalid JSON")]
    [InlineData("not json at all", "invalid JSON")]
    [InlineData("", "invalid JSON")]
    [InlineData("""{"type":"heartbeat","payload":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":{"l":{"m":{"n":{"o":{"p":{"q":{"r":{"s":{"t":{"u":{"v":{"w":{"x":{"y":{"z":{"A":{"B":{"C":{"D":{"E":{"F":{}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}""", "invalid JSON")]
    public void Refuses_what_is_not_an_envelope_and_says_why(string text, string why)
    {
        Assert.False(RawEnvelope.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.StartsWith(why, error);
        Assert.False(Envelope.TryParse(Encoding.UTF8.GetBytes(text), out _, out var same));
        Assert.Equal(error, same);
    }
}
