using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeGraphRag.Abstractions.Telemetry;

namespace CodeGraphRag.Grains.Telemetry;

/// <summary>
/// The indexing pipeline's instruments on the meter <c>CodeGraphRag</c> (the name hosts export, next to Orleans' own meters):
/// files and chunks, embedding batches, cache hits, work in flight and sync durations.
/// </summary>
public static class PipelineMetrics
{
    private static readonly Meter Meter = new(CodeGraphRagTelemetry.Name);

    private static readonly Counter<long> Files = Meter.CreateCounter<long>("cgr.files.processed", "{file}", "Files finished by file grains, by outcome (indexed, unchanged, failed).");
    private static readonly Counter<long> Chunks = Meter.CreateCounter<long>("cgr.chunks.written", "{chunk}", "Chunks inserted or changed.");
    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("cgr.embedding.cache.lookups", "{text}", "Embedding cache lookups by result (hit, miss).");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("cgr.embedding.batch.size", "{text}", "Texts per embedding request on an embedder silo.");
    private static readonly Histogram<double> EmbedDuration = Meter.CreateHistogram<double>("cgr.embedding.duration", "s", "Latency of one embedding request on an embedder silo, queueing included.");
    private static readonly UpDownCounter<long> EmbedQueue = Meter.CreateUpDownCounter<long>("cgr.embedding.queue", "{text}", "Texts waiting or being embedded on this silo.");
    private static readonly Counter<long> EmbedTimeouts = Meter.CreateCounter<long>("cgr.embedding.call.timeouts", "{call}", "Calls to the embedding grain given up on after EmbeddingCalls' timeout, by purpose.");
    private static readonly UpDownCounter<long> FilesInFlight = Meter.CreateUpDownCounter<long>("cgr.files.in_flight", "{file}", "Files sent to file grains and not finished yet.");
    private static readonly Histogram<double> SyncDuration = Meter.CreateHistogram<double>("cgr.sync.duration", "s", "Repository sync duration by outcome.");
    private static readonly Histogram<double> SearchStageDuration = Meter.CreateHistogram<double>(SearchStageInstrument, "s", "Duration of one stage of the query pipeline, by stage.");

    /// <summary>The histogram of query pipeline stage durations (tag <c>stage</c>, see <see cref="SearchStages"/>).</summary>
    public const string SearchStageInstrument = "cgr.search.stage.duration";

    /// <summary>A file grain finished a file.</summary>
    public static void FileProcessed(string outcome, int chunksWritten)
    {
        Files.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (chunksWritten > 0)
        {
            Chunks.Add(chunksWritten);
        }
    }

    /// <summary>Embedding cache lookups.</summary>
    public static void CacheLookup(int hits, int misses)
    {
        CacheLookups.Add(hits, new KeyValuePair<string, object?>("result", "hit"));
        CacheLookups.Add(misses, new KeyValuePair<string, object?>("result", "miss"));
    }

    /// <summary>Starts measuring one embedding request; dispose the result when it finishes.</summary>
    public static EmbeddingScope EmbeddingRequest(int texts)
    {
        BatchSize.Record(texts);
        EmbedQueue.Add(texts);
        return new EmbeddingScope(texts, Stopwatch.GetTimestamp());
    }

    /// <summary>A call to the embedding grain was given up on after its timeout.</summary>
    public static void EmbeddingCallTimedOut(string purpose) => EmbedTimeouts.Add(1, new KeyValuePair<string, object?>("purpose", purpose));

    /// <summary>Files handed to (positive) or returned from (negative) file grains.</summary>
    public static void FilesInFlightChanged(int delta) => FilesInFlight.Add(delta);

    /// <summary>A sync ended.</summary>
    public static void SyncFinished(string outcome, TimeSpan elapsed) =>
        SyncDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A stage of one query finished (<paramref name="stage"/> is one of <see cref="SearchStages"/>).</summary>
    public static void SearchStageFinished(string stage, TimeSpan elapsed) =>
        SearchStageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>One embedding request in progress.</summary>
    public readonly struct EmbeddingScope(int texts, long started) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose()
        {
            EmbedQueue.Add(-texts);
            EmbedDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
