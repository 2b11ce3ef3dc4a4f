using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace NixFleet.Web.Rendering;

/// <summary>
/// Renders Razor components to HTML strings outside a page: the fragments page handlers return to htmx and
/// the fragments live endpoints send. Several components in one call share one renderer.
/// </summary>
public sealed class ComponentHtml(IServiceProvider services, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync(params (Type Component, Dictionary<string, object?> Parameters)[] parts)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var html = new System.Text.StringBuilder();
            foreach (var (component, parameters) in parts)
                html.Append((await renderer.RenderComponentAsync(component, ParameterView.FromDictionary(parameters))).ToHtmlString());
            return html.ToString();
        });
    }

    public static (Type, Dictionary<string, object?>) Part<T>(Dictionary<string, object?> parameters) where T : IComponent => (typeof(T), parameters);
}
