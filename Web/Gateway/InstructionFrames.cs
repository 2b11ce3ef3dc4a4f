using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Protocol;

namespace NixFleet.Web.Gateway;

/// <summary>
/// A grain's instruction as the frame this agent understands. Extensions (<c>command_id</c>, <c>args</c>,
/// <c>ack</c>) go only to agents that listed them: the Go agent lists none and must never see them.
/// </summary>
internal static class InstructionFrames
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    /// <summary>The frame, or null with a reason when this agent must not get it.</summary>
    public static byte[]? For(AgentInstruction i, IReadOnlyCollection<string> capabilities, out string? skipped)
    {
        skipped = null;
        var withIds = capabilities.Contains(Capabilities.CommandId);
        switch (i.Kind)
        {
            case AgentInstruction.RunCommand when AgentCommands.IsKnown(i.Command):
                var payload = withIds ? new CommandPayload(i.Command!, i.CommandId, i.Args) : new CommandPayload(i.Command!);
                return Envelope.Serialize(MessageTypes.Command, payload, Json.CommandPayload);
            case AgentInstruction.RunCommand:
                skipped = $"command '{i.Command}' is not on the allow-list";
                return null;
            case AgentInstruction.Kill:
                var signal = i.Signal is "SIGKILL" ? "SIGKILL" : "SIGTERM";
                return Envelope.Serialize(MessageTypes.KillCommand, new KillCommandPayload(signal, i.Pid), Json.KillCommandPayload);
            case AgentInstruction.Ack when capabilities.Contains(Capabilities.Ack) && i.CommandId is { } id:
                return Envelope.Serialize(MessageTypes.Ack, new AckPayload(id, i.AckSeq), Json.AckPayload);
            case AgentInstruction.Ack:
                skipped = "agent did not list the ack capability";
                return null;
            default:
                skipped = $"unknown instruction '{i.Kind}'";
                return null;
        }
    }

    public static byte[] Registered(string hostname) =>
        Envelope.Serialize(MessageTypes.Registered, new RegisteredPayload(hostname), Json.RegisteredPayload);
}
