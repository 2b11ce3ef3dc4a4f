using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Web.Components;

namespace NixFleet.Web.Live;

/// <summary>
/// Renders live updates as htmx out-of-band swaps: changed rows replace theirs by id, new rows are appended
/// to the table body (after removing any copy the browser already has), removed ones are deleted.
/// </summary>
public sealed class FleetRowRenderer(IServiceProvider services, ILoggerFactory loggers, TimeProvider clock, FailedCommands failed)
{
    public const string TableBodyId = "host-rows";

    public async Task<string> RenderAsync(IReadOnlyList<LiveHost> changed, long since, IReadOnlyList<HostSummary> all)
    {
        var fleet = FleetView.From(all, failed.Count);
        var now = clock.GetUtcNow();
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var html = new System.Text.StringBuilder();
            foreach (var h in changed)
            {
                var id = HostRowId.For(h.Hostname);
                // Each table part sits in its own <template>: table elements mixed at the top level of one
                // fragment are rearranged by the HTML parser, and htmx swaps what templates hold.
                if (h.Summary is null || h.CreatedVersion > since)
                    html.Append("<template><tr id=\"").Append(id).Append("\" hx-swap-oob=\"delete\"></tr></template>");
                if (h.Summary is null) continue;
                var parameters = new Dictionary<string, object?> { ["Host"] = h.Summary, ["Fleet"] = fleet, ["Now"] = now };
                if (h.CreatedVersion > since)
                {
                    // htmx appends the children of an out-of-band element for beforeend: wrap the row in a tbody
                    html.Append("<template><tbody hx-swap-oob=\"beforeend:#").Append(TableBodyId).Append("\">");
                    html.Append(await Render<_HostRow>(renderer, parameters));
                    html.Append("</tbody></template>");
                }
                else
                {
                    parameters["Oob"] = "true";
                    html.Append("<template>").Append(await Render<_HostRow>(renderer, parameters)).Append("</template>");
                }
            }
            html.Append(await Render<_FleetCounters>(renderer, new() { ["Fleet"] = fleet, ["Oob"] = "true" }));
            return html.ToString();
        });
    }

    /// <summary>
    /// The markup with line breaks between tags removed: every line of an event costs a "data: " prefix, and the
    /// breaks are the template's layout only. Text never holds a raw "&gt;\n&lt;" (it is HTML-encoded), so only tag
    /// boundaries are touched.
    /// </summary>
    private static async Task<string> Render<T>(HtmlRenderer renderer, Dictionary<string, object?> parameters) where T : IComponent =>
        (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString().Replace(">\n<", "><");
}
