using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace NixFleet.Web.Health;

/// <summary>Healthy only while this process's silo is an active member of its cluster.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"silo is {oracle.CurrentStatus.ToString().ToLowerInvariant()}"));
}
