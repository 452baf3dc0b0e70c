using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CodeGraphRag.Api.QueryLog;

/// <summary>
/// The query log on disk: <c>queries-yyyyMMdd-&lt;instance&gt;.jsonl</c> and <c>feedback-yyyyMMdd-&lt;instance&gt;.jsonl</c>
/// (one file per day and server process) in <c>&lt;data directory&gt;/querylog</c>.
/// </summary>
public static class QueryLogFiles
{
    /// <summary>File name prefix of query records.</summary>
    public const string QueriesPrefix = "queries-";

    /// <summary>File name prefix of feedback records.</summary>
    public const string FeedbackPrefix = "feedback-";

    /// <summary>The query log directory of a data directory.</summary>
    public static string DirectoryOf(string dataDirectory) => Path.Combine(dataDirectory, "querylog");

    /// <summary>Every query record in <paramref name="directory"/>, oldest file first; unreadable lines are skipped.</summary>
    public static IAsyncEnumerable<QueryLogRecord> ReadQueriesAsync(string directory, CancellationToken cancellationToken = default)
        => ReadAsync<QueryLogRecord>(directory, QueriesPrefix, cancellationToken);

    /// <summary>Every feedback record in <paramref name="directory"/>, oldest file first; unreadable lines are skipped.</summary>
    public static IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(string directory, CancellationToken cancellationToken = default)
        => ReadAsync<FeedbackRecord>(directory, FeedbackPrefix, cancellationToken);

    private static async IAsyncEnumerable<T> ReadAsync<T>(string directory, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, prefix + "*.jsonl").Order(StringComparer.Ordinal))
        {
            // CGR: other server processes may be appending; share the file for reading and writing.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                T? record;
                try
                {
                    record = JsonSerializer.Deserialize<T>(line, QueryLogJson.Options);
                }
                catch (JsonException)
                {
                    // CGR: a process killed mid-append leaves a torn last line; skip it.
                    continue;
                }

                if (record is not null)
                {
                    yield return record;
                }
            }
        }
    }
}
