using NixFleet.Agent.Configuration;

namespace NixFleet.Agent;

/// <summary>One line per event on stderr (journald / launchd add the time).</summary>
internal static class Log
{
    public static LogLevel Level { get; set; } = LogLevel.Info;

    public static void Debug(string message) => Write(LogLevel.Debug, message);
    public static void Info(string message) => Write(LogLevel.Info, message);
    public static void Warn(string message) => Write(LogLevel.Warn, message);
    public static void Error(string message) => Write(LogLevel.Error, message);

    private static void Write(LogLevel level, string message)
    {
        if (level < Level) return;
        Console.Error.WriteLine($"{level.ToString().ToLowerInvariant()}: {message}");
    }
}
