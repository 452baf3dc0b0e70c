using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Services;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace CodeGraphRag.Api.Mcp;

/// <content>What every tool shares: the audit and error guard, scope and ACL checks, argument parsing, text and structured output.</content>
internal sealed partial class CodeGraphRagTools
{
    /// <summary>
    /// Runs a tool: argument and scope errors (<see cref="McpException"/>) reach the client as they are; anything else is
    /// logged here and answered with one line that names no internals.
    /// </summary>
    /// <remarks>On a server every call writes one audit line (operation <c>mcp/&lt;tool&gt;</c>), like the gRPC calls.</remarks>
    private async Task<CallToolResult> GuardAsync(string tool, Func<AuditEntry, Task<CallToolResult>> body)
    {
        var clock = Stopwatch.StartNew();
        var entry = new AuditEntry("mcp/" + tool);
        var status = "OK";
        try
        {
            return await body(entry);
        }
        catch (McpException)
        {
            status = "InvalidArgument";
            throw;
        }
        catch (Grpc.Core.RpcException ex) when (ex.StatusCode is Grpc.Core.StatusCode.InvalidArgument or Grpc.Core.StatusCode.NotFound
            or Grpc.Core.StatusCode.PermissionDenied or Grpc.Core.StatusCode.FailedPrecondition)
        {
            // The server's shared request checks (registration, allowed folders) speak gRPC; their one line suits a tool error.
            status = ex.StatusCode.ToString();
            throw new McpException(ex.Status.Detail, ex);
        }
        catch (OperationCanceledException)
        {
            status = "Cancelled";
            throw;
        }
        catch (Exception ex)
        {
            status = "Internal";
            LogToolFailed(logger, tool, ex);
            throw new McpException($"{tool} failed on the server; its log has the details");
        }
        finally
        {
            audit?.Write(entry, status, clock.Elapsed);
        }
    }

    private async Task<McpIndexView> OpenAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var view = await index.OpenAsync(cancellationToken);
        entry.Principal = view.Caller.Principal;
        return view;
    }

    private static void Finish(AuditEntry entry, IReadOnlyList<SearchHit> hits)
    {
        if (entry.Repositories.Count == 0)
        {
            entry.Repositories.AddRange(hits.Select(h => h.Repository).Distinct(StringComparer.Ordinal));
        }

        entry.ResultCount = hits.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "MCP tool {Tool} failed")]
    private static partial void LogToolFailed(ILogger logger, string tool, Exception exception);

    /// <summary>The search the tool's arguments ask for, within what the caller may read.</summary>
    private static async Task<SearchRequest> ScopeAsync(McpIndexView view, AuditEntry entry, string query, string? repo, string? mode, int top,
        string? language, string? path, string? fileClass, CancellationToken cancellationToken)
    {
        entry.SetQuery(query ?? string.Empty);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new McpException("query is empty");
        }

        if (query.Length > SearchLimits.MaxQueryLength)
        {
            throw new McpException($"query is longer than {SearchLimits.MaxQueryLength} characters");
        }

        if (top is < 1 or > SearchLimits.MaxTop)
        {
            throw new McpException($"top must be between 1 and {SearchLimits.MaxTop} (was {top})");
        }

        var searchMode = ParseMode(mode);
        var classes = List(fileClass)?.Select(c => FileClasses.TryParse(c, out var value)
            ? value
            : throw new McpException($"fileClass '{c}' is not one of {string.Join(", ", FileClasses.AllNames)}")).ToList();
        var readable = await ReadableRepositories.LoadAsync(Catalog(view), view.Caller, cancellationToken);
        var repositories = Repositories(readable, repo, entry);
        return new SearchRequest(query, repositories, List(language), string.IsNullOrWhiteSpace(path) ? null : path.Trim(), searchMode, top,
            ParseInlineFilters: true, AllowedRepositories: readable.Allowed, ShowRawScores: readable.CoversAll, Classes: classes);
    }

    /// <summary>
    /// The repositories named in <paramref name="repo"/> (null when none), each one the caller may read; the audit line names
    /// them, denied ones included.
    /// </summary>
    private static List<string>? Repositories(ReadableRepositories readable, string? repo, AuditEntry entry)
    {
        if (List(repo) is not { } names)
        {
            return null;
        }

        entry.Repositories.AddRange(names);
        foreach (var name in names)
        {
            if (readable.Find(name) is null)
            {
                var known = readable.All.Select(r => r.Name).ToList();
                throw new McpException($"unknown repository '{name}' ({(known.Count == 0 ? "nothing is indexed yet" : "indexed: " + string.Join(", ", known))})");
            }
        }

        return names;
    }

    private static List<string>? List(string? commaSeparated)
    {
        var items = (commaSeparated ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        return items.Count == 0 ? null : items;
    }

    internal static SearchMode ParseMode(string? mode) =>
        SearchModes.TryParse(mode, out var parsed) ? parsed : throw new McpException($"mode '{mode}' is not one of {SearchModes.AllNames}");

    internal static GraphRelation ParseRelations(string? relations)
    {
        if (List(relations) is not { } names)
        {
            return GraphRelation.All;
        }

        var result = GraphRelation.None;
        foreach (var name in names)
        {
            result |= name.ToLowerInvariant() switch
            {
                "caller" or "callers" => GraphRelation.Caller,
                "callee" or "callees" => GraphRelation.Callee,
                "parent" or "parents" => GraphRelation.Parent,
                "import" or "imports" => GraphRelation.Imports,
                "base_type" or "base_types" or "bases" => GraphRelation.BaseType,
                "derived_type" or "derived_types" or "derived" => GraphRelation.DerivedType,
                "all" => GraphRelation.All,
                _ => throw new McpException($"relation '{name}' is not one of callers, callees, parents, imports, base_types, derived_types"),
            };
        }

        return result;
    }

    private static async Task<T> SearchGrainAsync<T>(McpIndexView view, Func<ISearchGrain, Task<T>> call)
    {
        try
        {
            return await call(view.Services.GetRequiredService<IGrainFactory>().GetGrain<ISearchGrain>(0));
        }
        catch (ArgumentException ex)
        {
            // The query's inline filters did not parse.
            throw new McpException(ex.Message, ex);
        }
    }

    private static IRepositoryCatalog Catalog(McpIndexView view) => view.Services.GetRequiredService<IRepositoryCatalog>();

    private static McpHit Hit(SearchHit hit, bool withText) => new(hit.Rank, hit.Repository, hit.Path, hit.StartLine, hit.EndLine, hit.Symbol,
        ProtoMapping.Camel(hit.Kind.ToString()), hit.Language, hit.Class.Name(), Math.Round(hit.Score, 6),
        [.. hit.Related.Select(r => new McpRelated(RelationName(r.Relation), r.Repository, r.Path, r.Symbol, r.StartLine, r.EndLine))],
        withText ? hit.Text : null);

    private static void AppendHit(StringBuilder text, McpHit hit)
    {
        var symbol = hit.Symbol.Length > 0 ? "  " + hit.Symbol : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{hit.Rank}. {hit.Repository}/{hit.Path}:{hit.StartLine}-{hit.EndLine}{symbol}  ({hit.Kind}, {hit.Language}{(hit.FileClass == "code" ? string.Empty : ", " + hit.FileClass)})");
        var lines = (hit.Text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        foreach (var line in lines.Take(SnippetLines))
        {
            text.Append("   | ").AppendLine(line);
        }

        if (lines.Length > SnippetLines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"   | ... {lines.Length - SnippetLines} more lines");
        }

        foreach (var group in hit.Related.GroupBy(r => r.Relation))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"   {group.Key}: {string.Join("; ", group.Select(r => $"{Display(r.Symbol, r.Path)} ({r.Path}:{r.StartLine})"))}");
        }

        text.AppendLine();
    }

    private static string Display(string symbol, string path) => symbol.Length > 0 ? symbol : path;

    internal static string RelationName(GraphRelation relation) => relation switch
    {
        GraphRelation.Caller => "caller",
        GraphRelation.Callee => "callee",
        GraphRelation.Parent => "parent",
        GraphRelation.Imports => "imports",
        GraphRelation.BaseType => "base_type",
        GraphRelation.DerivedType => "derived_type",
        _ => relation.ToString().ToLowerInvariant(),
    };

    private static string Format(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";

    private static CallToolResult Result<T>(string text, T structured) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(structured, StructuredJson),
    };
}
