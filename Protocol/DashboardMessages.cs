namespace NixFleet.Protocol;

// Payloads sent by the dashboard. Extension fields are null for agents that did not opt in,
// and null fields are left out of the JSON.

public sealed record RegisteredPayload(string HostId);

public sealed record CommandPayload(string Command, string? CommandId = null, IReadOnlyDictionary<string, string>? Args = null);

public sealed record KillCommandPayload(string Signal, int Pid);

public sealed record AckPayload(string CommandId, long Seq);
