using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Api.QueryLog;

/// <summary>
/// Turns the query log and its feedback into (query, positive, hard negative) triples. A positive is a result whose
/// latest vote is up. Its hard negatives are the results of the same query whose latest vote is down, then the results
/// ranked above it or at most <see cref="NearbyRanks"/> below it that were not up-voted (in rank order), at most
/// <see cref="MaxNegativesPerPositive"/> per positive.
/// </summary>
public sealed class TrainingTripletExporter
{
    /// <summary>Unvoted results up to this many ranks below the positive count as hard negatives.</summary>
    public int NearbyRanks { get; init; } = 2;

    /// <summary>At most this many triples per positive.</summary>
    public int MaxNegativesPerPositive { get; init; } = 3;

    /// <summary>The triples for <paramref name="queries"/> given <paramref name="feedback"/> (ids only, no texts).</summary>
    public IReadOnlyList<TrainingTriplet> Build(IEnumerable<QueryLogRecord> queries, IEnumerable<FeedbackRecord> feedback)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(feedback);
        // Latest vote per (query, result) wins, so a user can change their mind.
        var votes = new Dictionary<(string Query, string Result), (DateTimeOffset At, string Vote)>();
        foreach (var f in feedback)
        {
            var key = (f.QueryId, f.ResultId);
            if (!votes.TryGetValue(key, out var existing) || existing.At <= f.Timestamp)
            {
                votes[key] = (f.Timestamp, f.Vote);
            }
        }

        var triples = new List<TrainingTriplet>();
        foreach (var query in queries)
        {
            var hits = query.Hits.OrderBy(h => h.Rank).ToList();
            string? VoteOf(QueryLogHit h) => votes.TryGetValue((query.QueryId, h.ChunkId), out var v) ? v.Vote : null;
            foreach (var positive in hits.Where(h => VoteOf(h) == FeedbackRecord.Up))
            {
                var down = hits.Where(h => VoteOf(h) == FeedbackRecord.Down);
                var near = hits.Where(h => VoteOf(h) is null && h.Rank <= positive.Rank + NearbyRanks && h.ChunkId != positive.ChunkId);
                foreach (var negative in down.Concat(near).DistinctBy(h => h.ChunkId).Take(MaxNegativesPerPositive))
                {
                    triples.Add(new TrainingTriplet(query.QueryId, query.Query, positive.ChunkId, positive.Rank, negative.ChunkId, negative.Rank));
                }
            }
        }

        return triples;
    }

    /// <summary>
    /// Reads the query log in <paramref name="queryLogDirectory"/> and builds its triples. With <paramref name="chunks"/>,
    /// texts are filled in and triples whose chunks no longer exist are left out.
    /// </summary>
    public async Task<IReadOnlyList<TrainingTriplet>> ReadAsync(string queryLogDirectory, IChunkStore? chunks = null, CancellationToken cancellationToken = default)
    {
        var queries = new List<QueryLogRecord>();
        await foreach (var q in QueryLogFiles.ReadQueriesAsync(queryLogDirectory, cancellationToken))
        {
            queries.Add(q);
        }

        var feedback = new List<FeedbackRecord>();
        await foreach (var f in QueryLogFiles.ReadFeedbackAsync(queryLogDirectory, cancellationToken))
        {
            feedback.Add(f);
        }

        var triples = Build(queries, feedback);
        if (chunks is not null && triples.Count > 0)
        {
            var ids = triples.SelectMany(t => new[] { t.PositiveId, t.NegativeId }).ToHashSet(StringComparer.Ordinal);
            var texts = (await chunks.GetChunksAsync(ids, cancellationToken)).ToDictionary(c => c.Id, c => c.Text, StringComparer.Ordinal);
            triples = triples
                .Where(t => texts.ContainsKey(t.PositiveId) && texts.ContainsKey(t.NegativeId))
                .Select(t => t with { PositiveText = texts[t.PositiveId], NegativeText = texts[t.NegativeId] })
                .ToList();
        }

        return triples;
    }

    /// <summary>
    /// Reads the query log in <paramref name="queryLogDirectory"/> and writes one JSON triple per line to
    /// <paramref name="output"/> (see <see cref="ReadAsync"/>). Returns the number of triples written.
    /// </summary>
    public async Task<int> ExportAsync(string queryLogDirectory, TextWriter output, IChunkStore? chunks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var triples = await ReadAsync(queryLogDirectory, chunks, cancellationToken);
        foreach (var t in triples)
        {
            await WriteJsonLineAsync(t, output, cancellationToken);
        }

        return triples.Count;
    }

    /// <summary>Writes one triple as a JSON line (the <c>cgr export-feedback</c> format).</summary>
    public static async Task WriteJsonLineAsync(TrainingTriplet triplet, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(JsonSerializer.Serialize(triplet, QueryLogJson.Options).AsMemory(), cancellationToken);
    }
}
