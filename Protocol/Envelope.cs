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
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Envelope envelope, out string? error)
    {
        envelope = default;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 32 });
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "frame is not a JSON object";
                return false;
            }
            if (!doc.RootElement.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(type.GetString()))
            {
                error = "envelope has no string \"type\"";
                return false;
            }
            var payload = doc.RootElement.TryGetProperty("payload", out var p) ? p.Clone() : default;
            if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                error = "envelope \"payload\" is not an object";
                return false;
            }
            envelope = new Envelope(type.GetString()!, payload);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
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
