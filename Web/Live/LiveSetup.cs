namespace NixFleet.Web.Live;

public static class LiveSetup
{
    public static IServiceCollection AddFleetLive(this IServiceCollection services)
    {
        services.AddSingleton<FailedCommands>();
        services.AddHostedService(sp => sp.GetRequiredService<FailedCommands>());
        services.AddSingleton<FleetRowRenderer>();
        services.AddSingleton<FleetLiveHub>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetLiveHub>());
        return services;
    }
}
