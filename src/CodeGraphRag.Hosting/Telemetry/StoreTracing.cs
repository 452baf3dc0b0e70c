using System.Diagnostics;
using CodeGraphRag.Abstractions.Telemetry;

namespace CodeGraphRag.Hosting.Telemetry;

/// <summary>
/// Spans for store and embedder calls on the <c>CodeGraphRag</c> activity source, so a trace runs from the gRPC call
/// through the grains (Orleans activity propagation) into every store round trip and embedding request.
/// </summary>
public static class StoreTracing
{
    /// <summary>Runs <paramref name="call"/> inside a client span named <paramref name="name"/>, marking failures.</summary>
    public static async Task<T> TraceAsync<T>(string name, string backend, Func<Task<T>> call, Action<Activity, T>? tag = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = CodeGraphRagTelemetry.Source.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("cgr.store", backend);
        try
        {
            var result = await call().ConfigureAwait(false);
            if (activity is not null && tag is not null)
            {
                tag(activity, result);
            }

            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>Runs <paramref name="call"/> inside a client span named <paramref name="name"/>, marking failures.</summary>
    public static async Task TraceAsync(string name, string backend, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await TraceAsync(name, backend, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }
}
