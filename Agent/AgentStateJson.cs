using System.Text.Json.Serialization;
using NixFleet.Agent.Commands;
using NixFleet.Protocol;

namespace NixFleet.Agent;

/// <summary>Source-generated JSON for what the agent keeps in its state directory.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(UpdateStatus))]
[JsonSerializable(typeof(InFlightRecord))]
internal sealed partial class AgentStateJson : JsonSerializerContext;
