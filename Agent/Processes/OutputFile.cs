using System.Text;

namespace NixFleet.Agent.Processes;

/// <summary>
/// A command's output on disk, one line per printed line, prefixed <c>o </c> (stdout) or <c>e </c> (stderr).
/// Every process of a command appends here, so the agent can re-read it after a restart; the line number is
/// the line's <c>seq</c>.
/// </summary>
internal static class OutputFile
{
    public static void Append(string path, string text, bool isStderr)
    {
        using var f = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var bytes = Encode(text, isStderr);
        f.Write(bytes);
    }

    /// <summary>Longer lines are cut: one line must never make a frame the dashboard refuses (1 MiB).</summary>
    public const int MaxLineChars = 16 * 1024;

    public static byte[] Encode(string text, bool isStderr)
    {
        if (text.Length > MaxLineChars) text = text[..MaxLineChars] + $" … [{text.Length - MaxLineChars} more characters cut by nixfleet-agent]";
        return Encoding.UTF8.GetBytes((isStderr ? "e " : "o ") + text.Replace('\n', ' ') + "\n");
    }

    public static OutputLine Decode(long seq, string raw) =>
        raw.Length >= 2 && raw[1] == ' ' && raw[0] is 'o' or 'e'
            ? new OutputLine(seq, raw[2..], raw[0] == 'e')
            : new OutputLine(seq, raw, false);
}
