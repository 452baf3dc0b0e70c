using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Hosting;

namespace CodeGraphRag.Cli.Backends;

/// <summary>
/// Where a command's index is: the embedded stores (a session in this process, or the background server's), or a server
/// over gRPC (<c>--server</c>). The commands parse their arguments and write their output once, for both; a backend
/// answers in the product's own types and reports failures as <see cref="CommandLine.CliException"/>s of one line.
/// </summary>
internal interface ICliBackend : IAsyncDisposable
{
    /// <summary>What <c>cgr status</c> says when nothing is indexed here: how to index something.</summary>
    string NothingIndexedHint { get; }

    /// <summary>The first lines of <c>cgr status</c>: where the index is and, embedded, the model and (with <paramref name="check"/>) integrity.</summary>
    Task WriteStatusHeaderAsync(TextWriter stdout, bool check, CancellationToken cancellationToken);

    /// <summary>The names, each checked to be a repository this backend serves (embedded: a friendly error naming the indexed ones).</summary>
    Task<IReadOnlyList<string>> CheckRepositoriesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    Task<ContextAnswer> GetContextAsync(ContextRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<RepositoryListing>> ListRepositoriesAsync(CancellationToken cancellationToken);

    Task<RepositoryReport> GetStatusAsync(string repository, CancellationToken cancellationToken);

    Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken);

    /// <summary>The live silos with their roles and grain activations (<c>cgr status --cluster</c>; a server needs an admin caller).</summary>
    Task<IReadOnlyList<SiloReport>> GetClusterAsync(CancellationToken cancellationToken);
}

/// <summary>Packed context for a prompt.</summary>
/// <param name="Text">The context text.</param>
/// <param name="Packed">Hits packed.</param>
/// <param name="Considered">Hits the search returned (null when the backend does not say).</param>
/// <param name="RelatedIncluded">Related snippets packed (null when the backend does not say).</param>
/// <param name="Tokens">Tokens used.</param>
internal sealed record ContextAnswer(string Text, int Packed, int? Considered, int? RelatedIncluded, int Tokens);

/// <summary>One line of <c>cgr repos</c>.</summary>
internal sealed record RepositoryListing(string Name, string Source, DateTimeOffset? LastSyncCompleted);

/// <summary>One repository in <c>cgr status</c>.</summary>
internal sealed record RepositoryReport(
    string Name,
    string Source,
    string? Revision,
    DateTimeOffset? LastSyncStarted,
    DateTimeOffset? LastSyncCompleted,
    int FilesIndexed,
    int FilesSkipped,
    int FilesFailed,
    IReadOnlyDictionary<string, int> SkippedByReason,
    IReadOnlyDictionary<string, int> Languages,
    long Chunks,
    long Symbols,
    long References,
    IReadOnlyList<KeyValuePair<string, string>> FailedFiles,
    long ChunksAwaitingVectors = 0);
