using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NixFleet.Protocol;

/// <summary>
/// An envelope read in one pass over the frame: its type, and where its payload lies, deserialized from there
/// when asked. The dashboard's gateway reads every agent frame this way; parsing a whole document and then copying
/// the payload out of it (what <see cref="Envelope"/> still does, on top of these rules, for the agent) was a tenth
/// of the cost of a heartbeat at 10,000 agents. The frame must outlive the envelope.
/// </summary>
public readonly record struct RawEnvelope(string Type, ReadOnlyMemory<byte> Frame, Range Payload, bool HasPayload)
{
    /// <summary>
    /// False, with the reason, unless the frame is a JSON object (nested at most 32 deep) with a non-empty string
    /// <c>type</c> and a <c>payload</c> that is an object, null or absent. Other properties are skipped.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> frame, out RawEnvelope envelope, out string? error)
    {
        envelope = default;
        try
        {
            var reader = new Utf8JsonReader(frame.Span, new JsonReaderOptions { MaxDepth = 32 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "frame is not a JSON object";
                return false;
            }
            string? type = null;
            var payload = default(Range);
            var payloadKind = JsonTokenType.None;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isPayload = !isType && reader.ValueTextEquals("payload"u8);
                reader.Read();
                var (kind, start) = (reader.TokenType, (int)reader.TokenStartIndex);
                if (isType) type = kind == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
                if (isPayload) (payloadKind, payload) = (kind, start..(int)reader.BytesConsumed);
            }
            if (string.IsNullOrEmpty(type))
            {
                error = "envelope has no string \"type\"";
                return false;
            }
            if (payloadKind is not (JsonTokenType.StartObject or JsonTokenType.None or JsonTokenType.Null))
            {
                error = "envelope \"payload\" is not an object";
                return false;
            }
            envelope = new RawEnvelope(type, frame, payload, payloadKind == JsonTokenType.StartObject);
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
        if (!HasPayload) return null;
        try { return JsonSerializer.Deserialize(Frame.Span[Payload], info); }
        catch (JsonException) { return null; }
    }
}
