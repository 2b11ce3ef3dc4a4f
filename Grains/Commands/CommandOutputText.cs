using System.Globalization;
using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Commands;

/// <summary>A command's output as plain text, one line per stored line, ANSI codes as sent.</summary>
public static class CommandOutputText
{
    public static async Task WriteAsync(ICommandLog log, string commandId, TextWriter writer, CancellationToken ct = default)
    {
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(commandId, after, 1000, ct);
            foreach (var line in page)
                await writer.WriteLineAsync(Format(line).AsMemory(), ct);
            if (page.Count < 1000) return;
            after = page[^1].Seq;
        }
    }

    public static string Format(StoredOutputLine l) =>
        l.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + (l.Stream == "stderr" ? " E " : "   ") + l.Text;
}
