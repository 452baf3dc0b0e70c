using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class TelemetryTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Search_RecordsQueryLatencyPerModeAndAnActivity()
    {
        var measurements = new ConcurrentQueue<(string Instrument, object? Mode)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "CodeGraphRag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "mode")
                {
                    measurements.Enqueue((instrument.Name, tag.Value));
                }
            }
        });
        meters.Start();
        var activities = new ConcurrentQueue<string>();
        using var spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "CodeGraphRag",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => activities.Enqueue(a.OperationName),
        };
        ActivitySource.AddActivityListener(spans);

        await fixture.Server.Client.SearchAsync(new V1.SearchRequest { Query = "cache eviction", Mode = V1.SearchMode.Lexical }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(("cgr.query.duration", (object?)"lexical"), measurements);
        Assert.Contains("cgr.Search", activities);
    }

    [Fact]
    public async Task Search_OneTraceRunsFromTheRpcThroughGrainsIntoStoresAndTheEmbedder()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "CodeGraphRag" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(spans);

        await fixture.Server.Client.SearchAsync(new V1.SearchRequest { Query = "where is the cache evicted", Mode = V1.SearchMode.HybridGraph }, cancellationToken: TestContext.Current.CancellationToken);

        var rpc = stopped.Last(a => a.OperationName == "cgr.Search");
        var trace = stopped.Where(a => a.TraceId == rpc.TraceId).Select(a => a.OperationName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("cgr.store.search_dense", trace);
        Assert.Contains("cgr.store.search_lexical", trace);
        Assert.Contains("cgr.store.get_neighbors", trace);
        Assert.Contains("cgr.embed", trace);
        Assert.Contains(stopped, a => a.TraceId == rpc.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
    }
}
