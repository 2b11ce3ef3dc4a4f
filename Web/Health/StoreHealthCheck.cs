using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Health;

/// <summary>
/// Reads the database file through a fresh, unpooled connection: a pooled one keeps an old file handle
/// and would report healthy after the file was replaced or damaged.
/// </summary>
internal sealed class StoreHealthCheck(NixFleetOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cs = new SqliteConnectionStringBuilder(options.SqliteConnectionString)
        {
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 5,
        };
        try
        {
            await using var connection = new SqliteConnection(cs.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'GrainState';";
            var tables = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken));
            return tables == 1 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("store schema is incomplete");
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy($"store does not answer: {e.Message}");
        }
    }
}
