using NixFleet.Web.Rendering;

namespace NixFleet.Web.Pages.Hosts;

public static class HostPageSetup
{
    /// <summary>The fragment renderers of the host page (its live endpoint is <see cref="Live.HostCommandsLiveEndpoint"/>).</summary>
    public static IServiceCollection AddHostPage(this IServiceCollection services)
    {
        services.AddSingleton<ComponentHtml>();
        services.AddSingleton<HostFragments>();
        return services;
    }
}
