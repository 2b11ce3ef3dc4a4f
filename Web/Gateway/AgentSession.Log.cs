namespace NixFleet.Web.Gateway;

internal sealed partial class AgentSession
{
    [LoggerMessage(LogLevel.Information, "Agent {Host} registered from {Remote} ({Token} token)")]
    private partial void LogRegistered(string host, string remote, string token);

    [LoggerMessage(LogLevel.Information, "Agent {Host}: grain had lost the connection; registered again")]
    private partial void LogReRegistered(string host);

    [LoggerMessage(LogLevel.Warning, "Agent {Host} from {Remote} refused: {Reason}")]
    private partial void LogRefused(string host, string remote, string reason);

    [LoggerMessage(LogLevel.Warning, "Agent {Host} from {Remote}: bad frame #{Count}: {Why}")]
    private partial void LogBadFrame(string host, string remote, int count, string why);

    [LoggerMessage(LogLevel.Warning, "Agent {Host} from {Remote}: frame over the 1 MiB limit; closing")]
    private partial void LogTooBig(string host, string remote);

    [LoggerMessage(LogLevel.Information, "Agent {Host}: unknown message type '{Type}' ignored")]
    private partial void LogUnknownType(string host, string type);

    [LoggerMessage(LogLevel.Warning, "Agent {Host} from {Remote} silent for {Seconds} s; closing")]
    private partial void LogSilent(string host, string remote, double seconds);

    [LoggerMessage(LogLevel.Warning, "Agent {Host} from {Remote}: send queue full ({Frames} frames); dropping the connection")]
    private partial void LogOverflow(string host, string remote, int frames);

    [LoggerMessage(LogLevel.Debug, "Agent {Host}: {Kind} not sent: {Why}")]
    private partial void LogSkipped(string host, string kind, string why);

    [LoggerMessage(LogLevel.Error, "Agent {Host}: grain call failed: {Error}")]
    private partial void LogGrainFailed(string host, string error);

    [LoggerMessage(LogLevel.Debug, "Agent {Host}: socket ended: {Error}")]
    private partial void LogSocketEnded(string host, string error);

    [LoggerMessage(LogLevel.Information, "Agent {Host} from {Remote} disconnected (close code {Code})")]
    private partial void LogClosed(string host, string remote, int code);
}
