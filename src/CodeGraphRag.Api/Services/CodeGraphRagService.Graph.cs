using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>The code graph: a symbol's neighbours and its indexed code.</summary>
internal sealed partial class CodeGraphRagService
{
    public override async Task<V1.GetSymbolNeighborsResponse> GetSymbolNeighbors(V1.GetSymbolNeighborsRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        var symbol = request.Symbol ?? throw RequestLimits.Invalid("symbol", "is required");
        var depth = RequestLimits.Range(request.Depth, RequestLimits.DefaultDepth, RequestLimits.MaxDepth, "depth");
        var perRelation = RequestLimits.Range(request.MaxPerRelation, RequestLimits.DefaultMaxPerRelation, RequestLimits.MaxMaxPerRelation, "max_per_relation");
        var relations = ProtoMapping.Relations(request.Relations, "relations");
        var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
        var repository = ReadableSymbolRepository(readable, symbol, entry);
        var query = new NeighborQuery(relations, perRelation, searchOptions.Value.Graph.MaxCandidatesPerName, readable.Allowed, depth);
        var neighbors = await graph.GetNeighborsAsync([new SymbolKey(repository, symbol.Path, symbol.Symbol)], query, ct);
        var response = new V1.GetSymbolNeighborsResponse();
        response.Neighbors.AddRange(neighbors.Select(n => new V1.SymbolNeighbor
        {
            From = new V1.SymbolRef { Repository = n.From.Repository, Path = n.From.Path, Symbol = n.From.QualifiedName },
            Relation = ProtoMapping.Relation(n.Relation),
            Neighbor = new V1.SymbolRef { Repository = n.Neighbor.Repository, Path = n.Neighbor.Path, Symbol = n.Neighbor.QualifiedName },
            Kind = ProtoMapping.Camel(n.Kind.ToString()),
            StartLine = n.StartLine,
            EndLine = n.EndLine,
            Depth = n.Depth,
        }));
        entry.ResultCount = response.Neighbors.Count;
        return response;
    }

    public override async Task<V1.GetSymbolCodeResponse> GetSymbolCode(V1.GetSymbolCodeRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        var symbol = request.Symbol ?? throw RequestLimits.Invalid("symbol", "is required");
        var repository = await ReadableSymbolRepositoryAsync(caller, symbol, entry, ct);
        var records = await chunks.GetSymbolChunksAsync(repository, symbol.Path, symbol.Symbol, ct);
        var response = new V1.GetSymbolCodeResponse();
        response.Chunks.AddRange(records.OrderBy(r => r.StartLine).ThenBy(r => r.EndLine).Select(ProtoMapping.Chunk));
        entry.ResultCount = response.Chunks.Count;
        return response;
    }

    /// <summary>Validates a symbol reference and returns its repository, which the caller must be able to read (else NOT_FOUND).</summary>
    private static string ReadableSymbolRepository(ReadableRepositories readable, V1.SymbolRef symbol, AuditEntry entry)
    {
        var repository = RequestLimits.RepositoryName(symbol.Repository, "symbol.repository");
        if (string.IsNullOrWhiteSpace(symbol.Path))
        {
            throw RequestLimits.Invalid("symbol.path", "is empty");
        }

        RequestLimits.Optional(symbol.Path, MaxPathLength, "symbol.path");
        RequestLimits.Optional(symbol.Symbol, RequestLimits.MaxQueryLength, "symbol.symbol");
        entry.Repositories.Add(repository);
        _ = readable.Find(repository) ?? throw RequestLimits.NotFound($"repository '{repository}' not found");
        return repository;
    }

    private async Task<string> ReadableSymbolRepositoryAsync(Caller caller, V1.SymbolRef symbol, AuditEntry entry, CancellationToken ct)
        => ReadableSymbolRepository(await ReadableRepositories.LoadAsync(catalog, caller, ct), symbol, entry);
}
