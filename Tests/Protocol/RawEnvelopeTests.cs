using System.Text;
using NixFleet.Protocol;

namespace NixFleet.Tests.Protocol;

/// <summary>The gateway's one-pass envelope reader says yes and no, and why, exactly where the document parser does.</summary>
public sealed class RawEnvelopeTests
{
    [Theory]
    [InlineData("""{"type":"heartbeat","payload":{"generation":"abc1234","metrics":null}}""")]
    [InlineData("""{"payload":{"generation":"abc1234"},"type":"heartbeat"}""")]
    [InlineData("""{"type":"heartbeat"}""")]
    [InlineData("""{"type":"heartbeat","payload":null}""")]
    [InlineData("""{"type":"heartbeat","payload":{},"extra":[1,{"a":[2]}]}""")]
    [InlineData("""{"type":"x","payload":{"generation":7}}""")]
    [InlineData(""" { "type" : "heartbeat" , "payload" : { "generation" : "a\"b" } } """)]
    [InlineData("""{"type":"","payload":{}}""")]
    [InlineData("""{"type":5,"payload":{}}""")]
    [InlineData("""{"type":{"nested":"heartbeat"}}""")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("""{"type":"heartbeat","payload":[1,2]}""")]
    [InlineData("""{"type":"heartbeat","payload":"text"}""")]
    [InlineData("""{"type":"heartbeat","payload":{"generation":"abc"}""")]
    [InlineData("""[{"type":"heartbeat"}]""")]
    [InlineData("\"heartbeat\"")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("""{"type":"heartbeat","payload":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":{"l":{"m":{"n":{"o":{"p":{"q":{"r":{"s":{"t":{"u":{"v":{"w":{"x":{"y":{"z":{"A":{"B":{"C":{"D":{"E":{"F":{}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}""")]
    public void Agrees_with_the_document_parser(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var parsed = Envelope.TryParse(utf8, out var document, out var documentError);
        var read = RawEnvelope.TryParse(utf8, out var raw, out var rawError);

        Assert.Equal(parsed, read);
        Assert.Equal(documentError?.Split(':')[0], rawError?.Split(':')[0]);
        if (!parsed) return;
        Assert.Equal(document.Type, raw.Type);
        var info = ProtocolJsonContext.Default.HeartbeatPayload;
        Assert.Equal(document.PayloadAs(info)?.Generation, raw.PayloadAs(info)?.Generation);
        Assert.Equal(document.PayloadAs(info) is null, raw.PayloadAs(info) is null);
    }
}
