using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Components;
using NixFleet.Web.Rendering;
using static NixFleet.Web.Rendering.ComponentHtml;

namespace NixFleet.Web.Pages.Hosts;

/// <summary>The pieces of the host page that htmx swaps, rendered from the Razor components in Web/Components.</summary>
public sealed class HostFragments(ComponentHtml html, ICommandLog log, TimeProvider clock)
{
    /// <summary>The panel shows at most this many of the newest stored lines; the download has them all.</summary>
    public const int MaxShownLines = 2000;
    private const int MaxPage = 100_000;

    public static int ClampPage(int p) => Math.Clamp(p, 0, MaxPage);

    public async Task<SelectedOutput> ReadOutputAsync(CommandRecord? command, CancellationToken ct)
    {
        if (command is null) return SelectedOutput.None;
        var last = await log.LastSeqAsync(command.Id, ct);
        var after = Math.Max(0, last - MaxShownLines);
        return new SelectedOutput(await log.ReadAsync(command.Id, after, MaxShownLines, ct), after);
    }

    /// <summary>The history and the output of <paramref name="selected"/>, with the live connection that follows it.</summary>
    public async Task<string> LiveRegionAsync(IHostGrain host, string hostname, int page, CommandRecord selected, bool oob, CancellationToken ct)
    {
        var output = await ReadOutputAsync(selected, ct);
        var commands = await host.GetCommandsAsync(page * _CommandHistory.PageSize, _CommandHistory.PageSize);
        return await html.RenderAsync(Part<_HostLive>(new()
        {
            ["Host"] = hostname, ["Page"] = commands, ["PageIndex"] = page, ["Selected"] = selected, ["Lines"] = output.Lines,
            ["Skipped"] = output.Skipped, ["Now"] = clock.GetUtcNow(), ["Oob"] = oob,
        }));
    }

    public async Task<string> HistoryAsync(IHostGrain host, string hostname, int page, string? selected, bool oob)
    {
        var commands = await host.GetCommandsAsync(page * _CommandHistory.PageSize, _CommandHistory.PageSize);
        return await html.RenderAsync(Part<_CommandHistory>(new()
        {
            ["Host"] = hostname, ["Page"] = commands, ["PageIndex"] = page, ["SelectedId"] = selected, ["Now"] = clock.GetUtcNow(), ["Oob"] = oob,
        }));
    }

    /// <summary>The state block of a command (the live connection's <c>command-{id}</c> event).</summary>
    public Task<string> StateAsync(CommandRecord command, bool stopping) =>
        html.RenderAsync(Part<_CommandState>(new() { ["Command"] = command, ["Now"] = clock.GetUtcNow(), ["Stopping"] = stopping }));

    public Task<string> NoticeAsync(string? code, string message) =>
        html.RenderAsync(Part<_CommandNotice>(new() { ["Code"] = code, ["Message"] = message }));
}

/// <summary>The newest stored lines of the selected command; <see cref="Skipped"/> is the seq the read started after.</summary>
public sealed record SelectedOutput(IReadOnlyList<StoredOutputLine> Lines, long Skipped)
{
    public static readonly SelectedOutput None = new([], 0);
}
