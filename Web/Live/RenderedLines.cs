using System.Text;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Rendering;

namespace NixFleet.Web.Live;

/// <summary>
/// Each output line rendered once as its SSE <c>data:</c> line in UTF-8, shared by every browser on this node that
/// follows it (the node's output hub hands them all the same line objects). A fixed ring indexed by seq, checked by
/// reference: a collision or an evicted line only costs a second rendering, and the ring holds no more than
/// <see cref="Slots"/> lines. (A table keyed weakly by line used a GC handle per line, scanned by every collection.)
/// </summary>
internal static class RenderedLines
{
    internal const int Slots = 1 << 14;
    private static readonly Entry?[] Ring = new Entry?[Slots];

    public static byte[] Get(StoredOutputLine line)
    {
        ref var slot = ref Ring[(int)(line.Seq & (Slots - 1))];
        if (Volatile.Read(ref slot) is { } e && ReferenceEquals(e.Line, line)) return e.Utf8;
        var utf8 = Encoding.UTF8.GetBytes(Render(line));
        Volatile.Write(ref slot, new Entry(line, utf8));
        return utf8;
    }

    // AnsiHtml drops control characters, so a rendered line never breaks the one-line data: field.
    private static string Render(StoredOutputLine line) =>
        new StringBuilder("data: <div class=\"line").Append(line.IsError || line.Stream == "stderr" ? " stderr" : "")
            .Append("\" data-seq=\"").Append(line.Seq).Append("\">").Append(AnsiHtml.ToHtml(line.Text)).Append("</div>\n").ToString();

    private sealed record Entry(StoredOutputLine Line, byte[] Utf8);
}
