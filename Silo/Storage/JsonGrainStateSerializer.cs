using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Grain state as JSON by property name. No CLR type or assembly name is ever written, so renaming or
/// moving a state class loses nothing, and the rows can be read with any SQLite client. Orleans' own state
/// (stream pub-sub, which picks the store named like the stream provider) is not JSON-readable: it goes to
/// <paramref name="orleansState"/> when one is given.
/// </summary>
public sealed class JsonGrainStateSerializer(IGrainStorageSerializer? orleansState = null) : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public BinaryData Serialize<T>(T? input) => orleansState is not null && IsOrleans<T>()
        ? orleansState.Serialize(input!)
        : new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) => orleansState is not null && IsOrleans<T>()
        ? orleansState.Deserialize<T>(input)!
        : JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)!;

    private static bool IsOrleans<T>() => typeof(T).Namespace?.StartsWith("Orleans", StringComparison.Ordinal) == true;
}
