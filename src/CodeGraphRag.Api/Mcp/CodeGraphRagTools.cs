using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Services;
using CodeGraphRag.Retrieval.Search;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CodeGraphRag.Api.Mcp;

/// <summary>
/// The MCP tools: search, packed context, symbol neighbourhoods, repositories and index status. Each answers with text an
/// LLM reads and the same result as structured content; a bad argument or unknown repository is a tool error of one line.
/// </summary>
[McpServerToolType]
internal sealed partial class CodeGraphRagTools(IMcpIndex index, ILogger<CodeGraphRagTools> logger, AuditLog? audit = null)
{
    /// <summary>Lines of a hit's code shown in a tool's text answer (the structured answer has all of it).</summary>
    internal const int SnippetLines = 30;

    private const int MaxSymbols = 5;

    /// <summary>The SDK's JSON settings, but nulls written: the advertised output schemas require every property.</summary>
    private static readonly JsonSerializerOptions StructuredJson = new(McpJsonUtilities.DefaultOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [McpServerTool(Name = "search_code", Title = "Search code", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SearchCodeOutput))]
    [Description("""
        Finds code in the indexed repositories by meaning and by identifiers ("where do we validate JWTs?",
        "retry with exponential backoff", "UserRepository.save"). Returns ranked chunks (functions, methods, classes) with
        repository, path, lines, symbol and code, plus the code around each hit (callers, callees, parent types). The query
        may carry filters: repo:<name> lang:<language> path:<glob> kind:<code|test|docs|config|...> and -kind:<class>.
        """)]
    public Task<CallToolResult> SearchCodeAsync(
        [Description("What to find: a question, a description of behaviour, or identifiers.")] string query,
        [Description("Repository to search; several separated by commas; omit to search every repository (see list_repositories).")] string? repo = null,
        [Description("hybrid+graph (default: meaning + identifiers, then the code graph), hybrid, dense (meaning only) or lexical (identifiers and words only).")] string? mode = null,
        [Description("Number of hits, 1-100 (default 10).")] int? top = null,
        [Description("Languages to search, comma-separated (for example csharp,python,typescript).")] string? language = null,
        [Description("Path glob to search under, for example src/auth/** or **/*.go.")] string? path = null,
        [Description("File classes to search, comma-separated: code, test, docs, changelog, config, generated, example, benchmark.")] string? fileClass = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("search_code", async entry =>
        {
            var view = await OpenAsync(entry, cancellationToken);
            var request = await ScopeAsync(view, entry, query, repo, mode, top ?? SearchLimits.DefaultTop, language, path, fileClass, cancellationToken);
            var response = await SearchGrainAsync(view, grain => grain.SearchAsync(request, cancellationToken));
            Finish(entry, response.Hits);
            var hits = response.Hits.Select(h => Hit(h, withText: true)).ToList();
            var text = new StringBuilder();
            if (hits.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"No code matched '{request.Query}' ({SearchModes.Name(response.Mode)}).");
            }

            foreach (var hit in hits)
            {
                AppendHit(text, hit);
            }

            return Result(text.ToString(), new SearchCodeOutput(SearchModes.Name(response.Mode), hits));
        });

    [McpServerTool(Name = "get_context", Title = "Get context for a prompt", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(GetContextOutput))]
    [Description("""
        Searches like search_code and packs the best hits, with their callers, callees and parent types, into one text
        that fits a token budget: the code to put in a prompt before answering a question about the codebase or editing it.
        """)]
    public Task<CallToolResult> GetContextAsync(
        [Description("The question or task the context is for.")] string query,
        [Description("Most tokens the context may take, 50-200000 (default 4000).")] int? tokenBudget = null,
        [Description("Repository to search; several separated by commas; omit for every repository.")] string? repo = null,
        [Description("hybrid+graph (default), hybrid, dense or lexical.")] string? mode = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("get_context", async entry =>
        {
            var budget = tokenBudget ?? SearchLimits.DefaultTokenBudget;
            if (budget is < SearchLimits.MinTokenBudget or > SearchLimits.MaxTokenBudget)
            {
                throw new McpException($"tokenBudget must be between {SearchLimits.MinTokenBudget} and {SearchLimits.MaxTokenBudget} (was {budget})");
            }

            var view = await OpenAsync(entry, cancellationToken);
            var request = await ScopeAsync(view, entry, query, repo, mode, SearchLimits.ContextTop, null, null, null, cancellationToken);
            var packed = await SearchGrainAsync(view, grain => grain.GetContextAsync(new ContextRequest(request, budget), cancellationToken));
            Finish(entry, packed.Packed);
            var output = new GetContextOutput(packed.Text, packed.Tokens, budget, packed.RelatedIncluded, [.. packed.Packed.Select(h => Hit(h, withText: false))]);
            var text = packed.Text.Length > 0 ? packed.Text : $"No code matched '{request.Query}'.";
            return Result(text, output);
        });

    [McpServerTool(Name = "get_symbol", Title = "Get a symbol's callers, callees and parents", ReadOnly = true, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(GetSymbolOutput))]
    [Description("""
        Looks a symbol (function, method, class, interface) up by name and returns where it is defined and its neighbours
        in the code graph: callers, callees, the enclosing type, imports, base and derived types. Use it to follow a hit of
        search_code: who calls this, what does it call, what implements this interface.
        """)]
    public Task<CallToolResult> GetSymbolAsync(
        [Description("The symbol's name, simple (Validate) or qualified (TokenValidator.Validate).")] string name,
        [Description("Repository it is defined in (optional).")] string? repo = null,
        [Description("Path of the file that defines it, or its end (optional; narrows a common name).")] string? path = null,
        [Description("Relations to follow, comma-separated: callers, callees, parents, imports, base_types, derived_types (default all).")] string? relations = null,
        [Description("Hops to follow, 1-3 (default 1: direct neighbours).")] int? depth = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("get_symbol", async entry =>
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > SearchLimits.MaxQueryLength)
            {
                throw new McpException("name must be a symbol name (1-2000 characters)");
            }

            var hops = depth ?? 1;
            if (hops is < 1 or > SearchLimits.MaxDepth)
            {
                throw new McpException($"depth must be between 1 and {SearchLimits.MaxDepth} (was {hops})");
            }

            var follow = ParseRelations(relations);
            var view = await OpenAsync(entry, cancellationToken);
            var readable = await ReadableRepositories.LoadAsync(Catalog(view), view.Caller, cancellationToken);
            entry.SetQuery(name);
            var repositories = Repositories(readable, repo, entry) ?? readable.Allowed;
            var qualified = name.Trim();
            var simple = qualified[(qualified.LastIndexOfAny(['.', ':', '#', '/', '\\']) + 1)..];
            var graph = view.Services.GetRequiredService<ICodeGraphStore>();
            var found = await graph.FindDefinitionsAsync([simple], repositories, 200, cancellationToken);
            var matching = found
                .Where(d => qualified == simple || d.Symbol.QualifiedName == qualified || d.Symbol.QualifiedName.EndsWith("." + qualified, StringComparison.Ordinal))
                .Where(d => path is null || d.Symbol.Path == path || d.Symbol.Path.EndsWith("/" + path.TrimStart('/'), StringComparison.Ordinal))
                .ToList();
            if (matching.Count == 0)
            {
                throw new McpException($"no symbol named '{qualified}'{(repo is null ? string.Empty : $" in {repo}")}{(path is null ? string.Empty : $" under {path}")}; search_code finds code by description");
            }

            var chosen = matching.Take(MaxSymbols).ToList();
            var options = view.Services.GetRequiredService<IOptions<SearchOptions>>().Value;
            var query = new NeighborQuery(follow, RequestLimits.DefaultMaxPerRelation, options.Graph.MaxCandidatesPerName, readable.Allowed, hops);
            var neighbors = await graph.GetNeighborsAsync([.. chosen.Select(d => d.Symbol)], query, cancellationToken);
            var symbols = chosen.Select(d => new McpSymbol(d.Symbol.Repository, d.Symbol.Path, d.Symbol.QualifiedName, ProtoMapping.Camel(d.Kind.ToString()),
                [.. neighbors.Where(n => n.From == d.Symbol).OrderBy(n => n.Depth).ThenBy(n => n.Relation).Select(n => new McpNeighbor(
                    RelationName(n.Relation), n.Neighbor.Repository, n.Neighbor.Path, n.Neighbor.QualifiedName, ProtoMapping.Camel(n.Kind.ToString()), n.StartLine, n.EndLine, n.Depth))])).ToList();
            var text = new StringBuilder();
            foreach (var symbol in symbols)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{symbol.Symbol} ({symbol.Kind}) in {symbol.Repository}/{symbol.Path}");
                if (symbol.Neighbors.Count == 0)
                {
                    text.AppendLine("  no neighbours in the code graph");
                }

                foreach (var n in symbol.Neighbors)
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"  {n.Relation}{(n.Depth > 1 ? $" (depth {n.Depth})" : string.Empty)}: {Display(n.Symbol, n.Path)} ({n.Kind}) {n.Repository}/{n.Path}:{n.StartLine}-{n.EndLine}");
                }
            }

            if (matching.Count > chosen.Count)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{matching.Count - chosen.Count} more definitions match '{qualified}'; narrow with repo or path.");
            }

            entry.ResultCount = symbols.Count;
            return Result(text.ToString(), new GetSymbolOutput(symbols, matching.Count > chosen.Count));
        });

    [McpServerTool(Name = "list_repositories", Title = "List indexed repositories", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ListRepositoriesOutput))]
    [Description("Lists the indexed repositories this caller may search, with when each was last synced: the names the other tools take as repo.")]
    public Task<CallToolResult> ListRepositoriesAsync(CancellationToken cancellationToken = default)
        => GuardAsync("list_repositories", async entry =>
        {
            var view = await OpenAsync(entry, cancellationToken);
            var readable = await ReadableRepositories.LoadAsync(Catalog(view), view.Caller, cancellationToken);
            var repositories = readable.All.Select(r => new McpRepository(r.Name, view.Caller.IsAdmin ? r.Source : null, r.Revision, r.LastSyncCompleted)).ToList();
            var text = new StringBuilder();
            if (repositories.Count == 0)
            {
                text.AppendLine("No repositories are indexed (run 'cgr index <path>').");
            }

            foreach (var r in repositories)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{r.Name}{(r.Source is null ? string.Empty : $"  {r.Source}")}{(r.Revision is null ? string.Empty : $" @ {r.Revision}")}  last sync: {Format(r.LastSyncCompleted)}");
            }

            entry.ResultCount = repositories.Count;
            return Result(text.ToString(), new ListRepositoriesOutput(repositories));
        });

    [McpServerTool(Name = "index_status", Title = "Index status", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(IndexStatusOutput))]
    [Description("What is indexed in a repository (files, chunks, symbols, references, languages, failures) and whether a sync is running; every repository when repo is omitted.")]
    public Task<CallToolResult> IndexStatusAsync(
        [Description("Repository to report on; omit for every repository.")] string? repo = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("index_status", async entry =>
        {
            var view = await OpenAsync(entry, cancellationToken);
            var catalog = Catalog(view);
            var readable = await ReadableRepositories.LoadAsync(catalog, view.Caller, cancellationToken);
            var named = Repositories(readable, repo, entry);
            var names = named ?? [.. readable.All.Select(r => r.Name)];
            if (named is null)
            {
                entry.Repositories.AddRange(names);
            }

            entry.ResultCount = names.Count;
            var grains = view.Services.GetRequiredService<IGrainFactory>();
            var statuses = new List<McpRepositoryStatus>();
            var text = new StringBuilder();
            if (names.Count == 0)
            {
                text.AppendLine("No repositories are indexed (run 'cgr index <path>').");
            }

            foreach (var name in names)
            {
                var info = readable.Find(name)!;
                var stats = await catalog.GetStatsAsync(name, cancellationToken);
                var progress = await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name)).GetProgressAsync();
                var sync = progress.Phase == SyncPhase.Idle ? null
                    : new McpSyncState(ProtoMapping.Camel(progress.Phase.ToString()), progress.FilesProcessed, progress.FilesToProcess, progress.Error);
                var status = new McpRepositoryStatus(name, info.LastSyncCompleted, stats.Files.GetValueOrDefault(FileStatus.Indexed),
                    stats.Files.GetValueOrDefault(FileStatus.Skipped), stats.Files.GetValueOrDefault(FileStatus.Failed),
                    stats.Chunks, stats.Symbols, stats.References, stats.Languages, sync, stats.ChunksAwaitingVectors);
                statuses.Add(status);
                text.AppendLine(CultureInfo.InvariantCulture, $"{name}  last sync: {Format(status.LastSyncCompleted)}");
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  files: {status.FilesIndexed} indexed, {status.FilesSkipped} skipped, {status.FilesFailed} failed; chunks: {status.Chunks}, symbols: {status.Symbols}, references: {status.References}");
                if (status.ChunksAwaitingVectors > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  awaiting vectors: {status.ChunksAwaitingVectors} chunks (found by lexical and graph search; dense search once embedded)");
                }

                if (status.Languages.Count > 0)
                {
                    text.AppendLine("  languages: " + string.Join(", ", status.Languages.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
                }

                if (sync is not null)
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"  sync: {sync.Phase}, {sync.FilesProcessed}/{sync.FilesToProcess} changed files{(sync.Error is null ? string.Empty : $", error: {sync.Error}")}");
                }
            }

            return Result(text.ToString(), new IndexStatusOutput(statuses));
        });
}
