using System.Text;

namespace NixFleet.Agent.Processes;

/// <summary>Reads complete lines appended to an output file since the last read, numbering them.</summary>
internal sealed class OutputTail(string path)
{
    private const int MaxChunk = 4 * 1024 * 1024;
    private long _offset;
    private long _seq;

    public string Path { get; } = path;
    public long LastSeq => _seq;

    public IReadOnlyList<OutputLine> ReadNew()
    {
        if (!File.Exists(Path)) return [];
        using var f = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (f.Length <= _offset) return [];
        f.Seek(_offset, SeekOrigin.Begin);
        // Bounded reads: a burst is taken in chunks, the rest on the next poll.
        var buffer = new byte[Math.Min(f.Length - _offset, MaxChunk)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = f.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        var lines = new List<OutputLine>();
        var start = 0;
        for (var i = 0; i < read; i++)
        {
            if (buffer[i] != (byte)'\n') continue;
            lines.Add(OutputFile.Decode(++_seq, Encoding.UTF8.GetString(buffer, start, i - start)));
            start = i + 1;
        }
        _offset += start; // a partial last line waits for its newline
        return lines;
    }
}
