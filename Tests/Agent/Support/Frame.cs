using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NixFleet.Tests.Agent.Support;

/// <summary>One frame an agent sent, with the connection (1, 2, …) it came on.</summary>
public sealed record Frame(int Connection, string Type, JsonElement Payload)
{
    public T As<T>(JsonTypeInfo<T> info) => Payload.Deserialize(info)!;

    public string? Str(string name) => Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
