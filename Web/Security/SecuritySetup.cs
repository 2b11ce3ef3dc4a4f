using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Security;

/// <summary>Sign-in, sessions, CSRF, headers, rate limits, API tokens and the audit trail, wired in one place.</summary>
public static class SecuritySetup
{
    public static IServiceCollection AddNixFleetSecurity(this IServiceCollection services, NixFleetOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteWriteGate>();
        services.TryAddSingleton(new BootstrapOutput(Console.Out));
        services.AddSingleton<SecretStore>();
        services.AddSingleton<SessionKey>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<OperatorPassword>();
        services.AddSingleton<TotpVerifier>();
        services.AddSingleton<LoginService>();
        services.AddSingleton<LoginRateLimiter>();
        services.AddSingleton<ISharedAgentTokenSource, SharedAgentTokenSource>();
        // The gateway's shared-token check also knows the first-start token (stored as a hash only).
        services.AddSingleton<NixFleet.Web.Gateway.ISharedAgentTokenCheck, SharedAgentTokenCheck>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<AuditPruner>();
        // Command dispatches, stops, cancels and rollout steps from the grains land in the same audit table.
        services.Replace(ServiceDescriptor.Singleton<NixFleet.Grains.Commands.ICommandAuditSink, AuditCommandSink>());
        services.AddHostedService<CredentialBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditPruner>());

        services.AddAuthentication(OperatorClaims.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, NixFleetAuthenticationHandler>(OperatorClaims.Scheme, null);
        services.AddAuthorization();
        // Our own CSRF check covers every session request; the MVC one would need a second token.
        services.AddRazorPages(o => o.Conventions.ConfigureFilter(new IgnoreAntiforgeryTokenAttribute()));
        return services;
    }

    /// <summary>
    /// The middleware, in order, and the endpoints of sign-in, tokens and audit (pages are mapped with the others' by
    /// MapRazorPages). Endpoints that must stay public say so with <c>.AllowAnonymous()</c>.
    /// </summary>
    public static WebApplication UseNixFleetSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<NixFleetOptions>();
        app.UseForwardedHeaders(TrustedProxies.Options(options));
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseRouting();
        app.UseMiddleware<LoginRateLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<AccessGate>();
        app.UseMiddleware<CsrfMiddleware>();
        app.UseAuthorization();

        app.MapAuthEndpoints();
        app.MapAuditApi();
        return app;
    }
}
