using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Hosting.Configuration;

namespace CodeGraphRag.Api.QueryLog;

/// <summary>
/// Appends query and feedback records to this process's daily JSONL files and answers which results a query id
/// returned (recent queries from memory, older ones or other processes' from the files).
/// </summary>
internal sealed class QueryLogStore : IDisposable
{
    private const int RecentCapacity = 50_000;

    private readonly string _directory;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, IReadOnlySet<string>> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public QueryLogStore(ServerOptions settings, TimeProvider time)
    {
        _directory = QueryLogFiles.DirectoryOf(settings.DataDirectory);
        _time = time;
    }

    public string Directory => _directory;

    public async Task AppendQueryAsync(QueryLogRecord record)
    {
        await AppendAsync(QueryLogFiles.QueriesPrefix, JsonSerializer.Serialize(record, QueryLogJson.Options));
        lock (_recent)
        {
            _recent[record.QueryId] = record.Hits.Select(h => h.ChunkId).ToHashSet(StringComparer.Ordinal);
            _order.Enqueue(record.QueryId);
            while (_order.Count > RecentCapacity)
            {
                _recent.Remove(_order.Dequeue());
            }
        }
    }

    public Task AppendFeedbackAsync(FeedbackRecord record)
        => AppendAsync(QueryLogFiles.FeedbackPrefix, JsonSerializer.Serialize(record, QueryLogJson.Options));

    /// <summary>The result ids the query returned, or null when no such query was logged.</summary>
    public async Task<IReadOnlySet<string>?> FindQueryAsync(string queryId, CancellationToken cancellationToken)
    {
        lock (_recent)
        {
            if (_recent.TryGetValue(queryId, out var hits))
            {
                return hits;
            }
        }

        await foreach (var record in QueryLogFiles.ReadQueriesAsync(_directory, cancellationToken))
        {
            if (record.QueryId == queryId)
            {
                return record.Hits.Select(h => h.ChunkId).ToHashSet(StringComparer.Ordinal);
            }
        }

        return null;
    }

    public void Dispose() => _gate.Dispose();

    private async Task AppendAsync(string prefix, string line)
    {
        var day = _time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var path = Path.Combine(_directory, $"{prefix}{day}-{_instance}.jsonl");
        // CGR: the record is written even when the caller has gone away; the answer was already computed.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            // CGR: the log keeps query text: owner-only folder and files.
            CodeGraphRag.Storage.Embedded.PrivateFiles.CreateDirectory(_directory);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = CodeGraphRag.Storage.Embedded.PrivateFiles.FileMode;
            }

            await using var stream = new FileStream(path, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteLineAsync(line.AsMemory(), CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }

    }
}
