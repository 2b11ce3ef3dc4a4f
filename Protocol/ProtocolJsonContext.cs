using System.Text.Json;
using System.Text.Json.Serialization;

namespace NixFleet.Protocol;

/// <summary>Source-generated JSON for every payload: snake_case, nulls omitted, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(RegisterPayload))]
[JsonSerializable(typeof(HeartbeatPayload))]
[JsonSerializable(typeof(OutputPayload))]
[JsonSerializable(typeof(StatusPayload))]
[JsonSerializable(typeof(CommandRejectedPayload))]
[JsonSerializable(typeof(OperationProgressPayload))]
[JsonSerializable(typeof(TestProgressPayload))]
[JsonSerializable(typeof(CommandCompletePayload))]
[JsonSerializable(typeof(RegisteredPayload))]
[JsonSerializable(typeof(CommandPayload))]
[JsonSerializable(typeof(KillCommandPayload))]
[JsonSerializable(typeof(AckPayload))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
