using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NixFleet.Protocol;

/// <summary>
/// <c>{"type": "...", "payload": {...}}</c>. Parsing keeps the payload raw so that each side
/// deserializes only the types it knows and can log and skip the others.
/// </summary>
public readonly record struct Envelope(string Type, JsonElement Payload)
{
    /// <summary>Parses one frame; false (with a reason) when it is not a JSON object of the envelope's shape.</summary>
    /// <remarks>The rules are <see cref="RawEnvelope.TryParse"/>'s; this keeps a copy of the payload as a document.</remarks>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Envelope envelope, out string? error)
    {
        envelope = default;
        var frame = utf8.ToArray();
        if (!RawEnvelope.TryParse(frame, out var raw, out error)) return false;
        var payload = default(JsonElement);
        if (raw.HasPayload)
        {
            using var doc = JsonDocument.Parse(frame.AsMemory(raw.Payload), new JsonDocumentOptions { MaxDepth = 32 });
            payload = doc.RootElement.Clone();
        }
        envelope = new Envelope(raw.Type, payload);
        return true;
    }

    /// <summary>The payload as <typeparamref name="T"/>, or null when absent or of the wrong shape.</summary>
    public T? PayloadAs<T>(JsonTypeInfo<T> info) where T : class
    {
        if (Payload.ValueKind != JsonValueKind.Object) return null;
        try { return Payload.Deserialize(info); }
        catch (JsonException) { return null; }
    }

    /// <summary>Writes an envelope as UTF-8 bytes, ready for one text frame.</summary>
    public static byte[] Serialize<T>(string type, T payload, JsonTypeInfo<T> info)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WritePropertyName("payload");
            JsonSerializer.Serialize(w, payload, info);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
