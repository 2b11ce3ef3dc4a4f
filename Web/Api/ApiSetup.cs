using System.Text.Json;
using System.Text.Json.Serialization;

namespace NixFleet.Web.Api;

/// <summary>The JSON API under <c>/api</c> (snake_case) and its OpenAPI document at <c>/openapi/v1.json</c>.</summary>
public static class ApiSetup
{
    public static IServiceCollection AddNixFleetApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // Numbers arrive as JSON numbers; a bool sent as a string is a mistake worth a 400, not a guess.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddSingleton<IRebootCodeCheck, TotpRebootCodeCheck>();
        services.AddSingleton<CommandSubmitter>();
        services.AddOpenApi();
        return services;
    }

    public static IEndpointRouteBuilder MapNixFleetApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api").WithTags("api");
        api.MapHostApi();
        api.MapCommandApi();
        api.MapOutputApi();
        api.MapLegacyApi();
        api.MapRolloutApi();
        return app;
    }
}
