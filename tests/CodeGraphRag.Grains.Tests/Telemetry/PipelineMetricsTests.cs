using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CodeGraphRag.Abstractions.Telemetry;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Grains.Telemetry;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Telemetry;

[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class PipelineMetricsTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-metrics");

    [Fact]
    public async Task Sync_FixtureRepository_MeasurementsAgreeWithTheSyncSummary()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var totals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CodeGraphRagTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => totals.AddOrUpdate(Key(instrument.Name, tags), value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => totals.AddOrUpdate(Key(instrument.Name, tags) + ":count", 1, (_, v) => v + 1));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => totals.AddOrUpdate(Key(instrument.Name, tags) + ":count", 1, (_, v) => v + 1));
        listener.Start();
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));

        var done = await harness.SyncAsync("metrics", tree);

        Assert.Equal(SyncPhase.Completed, done.Phase);
        Assert.Equal(done.FilesIndexed, totals.GetValueOrDefault("cgr.files.processed|outcome=indexed"));
        Assert.Equal(done.ChunksWritten, totals.GetValueOrDefault("cgr.chunks.written"));
        Assert.Equal(done.ChunksEmbedded, totals.GetValueOrDefault("cgr.embedding.cache.lookups|result=miss"));
        Assert.Equal(0, totals.GetValueOrDefault("cgr.files.in_flight"));
        Assert.Equal(0, totals.GetValueOrDefault("cgr.embedding.queue"));
        Assert.True(totals.GetValueOrDefault("cgr.embedding.batch.size:count") > 0);
        Assert.True(totals.GetValueOrDefault("cgr.embedding.duration:count") > 0);
        Assert.Equal(1, totals.GetValueOrDefault("cgr.sync.duration|outcome=completed:count"));
    }

    public void Dispose() => _temp.Dispose();

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = name;
        foreach (var tag in tags)
        {
            key += $"|{tag.Key}={tag.Value}";
        }

        return key;
    }
}
