using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Api.Telemetry;
using CodeGraphRag.Retrieval.Search;
using Microsoft.Extensions.Options;
using Abs = CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Api.Services;

/// <summary>
/// The codegraphrag.v1 service over the grains and stores: validation, ACLs and the query log, one file per feature
/// (repositories and sync, search and context, graph, feedback). What every call shares (the caller, audit, telemetry,
/// error mapping) is <see cref="ApiCallInterceptor"/>'s, which hands each method its <see cref="ApiCall"/>.
/// </summary>
internal sealed partial class CodeGraphRagService(
    IGrainFactory grains,
    IRepositoryCatalog catalog,
    ICodeGraphStore graph,
    IChunkStore chunks,
    IOptions<SearchOptions> searchOptions,
    RepositorySources sources,
    RepositorySyncs syncs,
    RepositoryRegistration registration,
    QueryLogStore queryLog,
    ServerTelemetry telemetry,
    TimeProvider time,
    IServiceProvider services,
    ILogger<CodeGraphRagService> logger) : V1.CodeGraphRag.CodeGraphRagBase
{
    private const int ContextSearchTop = Abs.SearchLimits.ContextTop;
    private const int MaxPathLength = 4_096;
}
