using CodeGraphRag.Abstractions.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CodeGraphRag.Hosting.Health;

/// <summary>Ready: the host (and so the silo) has started, is not stopping, and the catalog answers.</summary>
internal sealed class ReadinessHealthCheck(IHostApplicationLifetime lifetime, IRepositoryCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("starting");
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("stopping");
        }

        try
        {
            await catalog.ListRepositoriesAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the catalog does not answer", ex);
        }
    }
}
