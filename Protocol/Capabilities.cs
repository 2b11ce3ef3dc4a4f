namespace NixFleet.Protocol;

/// <summary>Opt-in protocol extensions an agent lists in <c>register.capabilities</c>.</summary>
public static class Capabilities
{
    public const string CommandId = "command_id";
    public const string Ack = "ack";
}
