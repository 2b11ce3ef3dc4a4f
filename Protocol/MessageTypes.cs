namespace NixFleet.Protocol;

/// <summary>The envelope's <c>type</c> values of PROTOCOL.md.</summary>
public static class MessageTypes
{
    // agent → dashboard
    public const string Register = "register";
    public const string Heartbeat = "heartbeat";
    public const string Output = "output";
    public const string Status = "status";
    public const string CommandRejected = "command_rejected";
    public const string OperationProgress = "operation_progress";
    public const string TestProgress = "test_progress";
    public const string CommandComplete = "command_complete";

    // dashboard → agent
    public const string Registered = "registered";
    public const string Command = "command";
    public const string KillCommand = "kill_command";
    public const string Ack = "ack";
}
