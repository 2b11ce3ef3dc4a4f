using System.Runtime.CompilerServices;
using System.Text;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Rendering;

namespace NixFleet.Web.Live;

/// <summary>
/// A command's output as server-sent events, written into any SSE response (<see cref="CommandLiveEndpoint"/> alone,
/// <see cref="HostCommandsLiveEndpoint"/> among its own events): stored lines after a seq, then the live tail
/// (<see cref="CommandOutputFollower"/>, one subscription per command per node through CommandOutputHub), as
/// <c>output</c> events whose id is the last seq, then one <c>end</c> event saying how the command ended.
/// </summary>
public static class CommandOutputRelay
{
    public const string OutputEvent = "output", EndEvent = "end";
    public static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(50);
    private const int MaxLinesPerEvent = 5000;

    /// <summary>
    /// Where to start: a reconnecting EventSource repeats the URL it started with (after=N of the page) and says in
    /// Last-Event-ID how far it got; the further of the two, so nothing is sent twice. Null when either is negative.
    /// </summary>
    public static long? From(long? after, HttpRequest request)
    {
        var from = Math.Max(after ?? 0, long.TryParse(request.Headers["Last-Event-ID"], out var resumed) ? resumed : 0);
        return after < 0 || from < 0 ? null : from;
    }

    /// <summary>Writes the output after <paramref name="from"/> and the end; <paramref name="write"/> writes and flushes.</summary>
    public static async Task RelayAsync(Func<string, Task> write, CommandOutputFollower follower, IHostGrain hostGrain,
        string host, string id, long from, CancellationToken ct)
    {
        // One write per chunk, then a pause: whatever arrives meanwhile waits in the node's output hub and goes out
        // in the next single write, so a client costs at most one network write per BatchEvery.
        await foreach (var chunk in follower.FollowChunksAsync(host, id, from, ct))
        {
            var batch = Batch(chunk);
            if (batch.Length > 0) await write(batch);
            await Task.Delay(BatchEvery, ct);
        }
        var ended = await hostGrain.GetCommandAsync(id);
        var phase = ended?.Phase.Name() ?? "unknown";
        await write($"event: {EndEvent}\ndata: <span class=\"command-end phase-{phase}\" data-phase=\"{phase}\">{phase}</span>\n\n");
    }

    private static string Batch(IReadOnlyList<StoredOutputLine> lines)
    {
        var sb = new StringBuilder();
        for (var from = 0; from < lines.Count; from += MaxLinesPerEvent)
        {
            sb.Append("event: ").Append(OutputEvent).Append('\n');
            var to = Math.Min(lines.Count, from + MaxLinesPerEvent);
            for (var i = from; i < to; i++) sb.Append(Rendered.GetValue(lines[i], Render));
            sb.Append("id: ").Append(lines[to - 1].Seq).Append("\n\n");
        }
        return sb.ToString();
    }

    // Live lines are the same objects for every browser on this node (CommandOutputHub): rendered once, shared.
    private static readonly ConditionalWeakTable<StoredOutputLine, string> Rendered = new();

    // AnsiHtml drops control characters, so a rendered line never breaks the one-line data: field.
    private static string Render(StoredOutputLine line) =>
        new StringBuilder("data: <div class=\"line").Append(line.IsError || line.Stream == "stderr" ? " stderr" : "")
            .Append("\" data-seq=\"").Append(line.Seq).Append("\">").Append(AnsiHtml.ToHtml(line.Text)).Append("</div>\n").ToString();
}
