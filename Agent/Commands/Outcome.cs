namespace NixFleet.Agent.Commands;

/// <summary>How a command ended: the wire's <c>status</c> (ok, error, stopped, warning), exit code and message.</summary>
internal sealed record Outcome(string Status, int ExitCode, string Message)
{
    public const int StoppedExitCode = 130;

    public static Outcome Ok(string message) => new("ok", 0, message);
    public static Outcome Failed(int exitCode, string message) => new("error", exitCode == 0 ? 1 : exitCode, message);
    public static Outcome Stopped(string command) => new("stopped", StoppedExitCode, command + " stopped");
    public bool Succeeded => Status == "ok";
}
