using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Evaluation;

namespace CodeGraphRag.Cli.Evaluation;

/// <summary>Where <c>cgr eval</c> runs its queries: the embedded index in this process, or a server over gRPC.</summary>
internal interface IEvalTarget
{
    /// <summary>How latencies are measured, for the report (for example "client round trip to http://host:5000").</summary>
    string LatencyMeasuredAt { get; }

    /// <summary>Checks that the repository exists and can be searched; throws a <see cref="CommandLine.CliException"/> otherwise.</summary>
    Task CheckRepositoryAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Indexes <paramref name="checkout"/> at <paramref name="commit"/> as <paramref name="repository"/> (SWE-bench).</summary>
    Task SyncAsync(string repository, string checkout, string commit, CancellationToken cancellationToken);

    /// <summary>True when the file is indexed, false when not, null when the target cannot tell.</summary>
    Task<bool?> IsIndexedAsync(string repository, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one query (inline filters not parsed) and returns its hits with the latency this target observes; for a query
    /// whose gold is whole files, also the ranked files (the same file ranking <c>cgr search --files</c> returns).
    /// </summary>
    Task<(IReadOnlyList<SearchHit> Hits, IReadOnlyList<FileHit>? Files, TimeSpan Latency)> SearchAsync(string repository, EvalQuery query, SearchMode mode, int depth, CancellationToken cancellationToken);
}
