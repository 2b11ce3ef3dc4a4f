using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// Cuts stored output into the batches published on the command's stream. The memory stream serializes each
/// event into one byte array; a batch of thousands of lines made that array hundreds of KB, on the large-object
/// heap, and at 10,000 lines/s those arrays drove a full collection about every second (measured: a fifth of the
/// time paused). Slices of about <see cref="MaxBytes"/> stay below the large-object threshold (85,000 bytes).
/// </summary>
internal static class OutputSlices
{
    internal const int MaxBytes = 64_000;
    /// <summary>Estimated serialized size of a line besides its text (ids, stream, time, field headers).</summary>
    internal const int LineOverhead = 120;

    public static IEnumerable<List<StoredOutputLine>> Of(IEnumerable<StoredOutputLine> ordered)
    {
        var slice = new List<StoredOutputLine>();
        var bytes = 0;
        foreach (var line in ordered)
        {
            var size = LineOverhead + line.Text.Length; // UTF-8: one byte a character for the usual ASCII output
            if (slice.Count > 0 && bytes + size > MaxBytes)
            {
                yield return slice;
                slice = [];
                bytes = 0;
            }
            slice.Add(line);
            bytes += size;
        }
        if (slice.Count > 0) yield return slice;
    }
}
