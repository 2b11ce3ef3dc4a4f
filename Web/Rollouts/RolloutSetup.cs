using Microsoft.AspNetCore.Http.Features;
using NixFleet.Web.Security;

namespace NixFleet.Web.Rollouts;

public static class RolloutSetup
{
    public static IServiceCollection AddRollouts(this IServiceCollection services)
    {
        services.AddSingleton<RolloutStarter>();
        // A confirmation form carries one field per host: allow a rollout's whole host limit, not the default 1,024.
        services.Configure<FormOptions>(o => o.ValueCountLimit = RolloutStarter.MaxHosts + 100);
        return services;
    }

    public static IEndpointConventionBuilder MapRollouts(this IEndpointRouteBuilder app) =>
        app.MapRolloutLive().RequireLiveUpdateAccess();
}
