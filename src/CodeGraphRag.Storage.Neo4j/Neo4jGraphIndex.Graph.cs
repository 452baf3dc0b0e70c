using System.Text.Json;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;

namespace CodeGraphRag.Storage.Neo4j;

/// <content>ICodeGraphStore: breadth-first traversal, one round of relation statements per hop.</content>
public sealed partial class Neo4jGraphIndex
{
    private static readonly GraphRelation[] RelationOrder =
        [GraphRelation.Caller, GraphRelation.Callee, GraphRelation.Parent, GraphRelation.Imports, GraphRelation.BaseType, GraphRelation.DerivedType];

    private static readonly string[] CallTargetKinds =
        [.. new[] { SymbolKind.Method, SymbolKind.Function, SymbolKind.Constructor, SymbolKind.Class, SymbolKind.Struct, SymbolKind.Record }.Select(k => k.ToString())];

    private static readonly string[] ConstructibleKinds = [.. new[] { SymbolKind.Class, SymbolKind.Struct, SymbolKind.Record }.Select(k => k.ToString())];

    private static readonly string[] BaseTypeKinds = [.. new[] { SymbolKind.Class, SymbolKind.Interface, SymbolKind.Struct, SymbolKind.Record }.Select(k => k.ToString())];

    private static readonly string[] TypeKinds =
        [.. new[] { SymbolKind.Class, SymbolKind.Interface, SymbolKind.Struct, SymbolKind.Record, SymbolKind.Enum }.Select(k => k.ToString())];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(
        IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0 || limitPerName <= 0 || repositories is { Count: 0 })
        {
            return [];
        }

        var result = await ReadAsync(
            "FindDefinitions",
            CypherStatement.Of(Cypher.FindDefinitions, ("names", distinct), ("repos", repositories), ("limit", limitPerName)),
            cancellationToken).ConfigureAwait(false);
        return [.. result.Rows.Select(row => new SymbolDefinition(
            Neo4jValue.RequiredString(row[0]),
            new SymbolKey(Neo4jValue.RequiredString(row[1]), Neo4jValue.RequiredString(row[2]), Neo4jValue.String(row[3]) ?? string.Empty),
            Enum.TryParse<SymbolKind>(Neo4jValue.String(row[4]), out var kind) ? kind : SymbolKind.Function))];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NeighborQuery.Depth"/> is outside 1..3.</exception>
    public async Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Depth, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Depth, Constants.MaxDepth, nameof(query));
        var readable = query.Repositories is null ? null : new HashSet<string>(query.Repositories, StringComparer.Ordinal);
        var origins = symbols.Distinct().Where(s => readable is null || readable.Contains(s.Repository)).ToList();
        if (origins.Count == 0 || query.Relations == GraphRelation.None || query.MaxPerRelation <= 0 || readable is { Count: 0 })
        {
            return [];
        }

        var relations = RelationOrder.Where(r => query.Relations.HasFlag(r)).ToList();
        var expansions = new Dictionary<(SymbolKey, GraphRelation), List<NodeRow>>();
        var walks = origins.Select(o => new Walk(o)).ToList();
        for (var depth = 1; depth <= query.Depth; depth++)
        {
            var pending = walks.SelectMany(w => w.Frontier).Distinct().Where(k => relations.Any(r => !expansions.ContainsKey((k, r)))).ToList();
            if (pending.Count == 0 && walks.TrueForAll(w => w.Frontier.Count == 0))
            {
                break;
            }

            await ExpandAsync(pending, relations, query, expansions, cancellationToken).ConfigureAwait(false);
            foreach (var walk in walks)
            {
                var next = new List<SymbolKey>();
                foreach (var node in walk.Frontier)
                {
                    foreach (var relation in relations)
                    {
                        foreach (var neighbour in expansions.GetValueOrDefault((node, relation)) ?? [])
                        {
                            // CGR: the ACL is enforced in every statement and again here (defence in depth).
                            if ((readable is not null && !readable.Contains(neighbour.Key.Repository)) || !walk.Visited.Add(neighbour.Key))
                            {
                                continue;
                            }

                            walk.Result.Add(new GraphNeighbor(walk.Origin, relation, neighbour.Key, neighbour.Kind, neighbour.StartLine, neighbour.EndLine, depth));
                            next.Add(neighbour.Key);
                        }
                    }
                }

                walk.Frontier = next;
            }
        }

        return [.. walks.SelectMany(w => w.Result)];
    }

    private async Task ExpandAsync(
        List<SymbolKey> nodes, List<GraphRelation> relations, NeighborQuery query, Dictionary<(SymbolKey, GraphRelation), List<NodeRow>> expansions, CancellationToken cancellationToken)
    {
        if (nodes.Count == 0)
        {
            return;
        }

        var work = new List<(GraphRelation Relation, List<SymbolKey> Batch, CypherStatement Statement)>();
        foreach (var batch in GraphRows.Batches(nodes, _options.BatchSize))
        {
            foreach (var relation in relations)
            {
                work.Add((relation, batch, NeighbourStatement(relation, batch, query)));
            }
        }

        var results = await ReadManyAsync("GetNeighbors", [.. work.Select(w => w.Statement)], cancellationToken).ConfigureAwait(false);
        for (var w = 0; w < work.Count; w++)
        {
            var (relation, batch, _) = work[w];
            foreach (var key in batch)
            {
                expansions[(key, relation)] = [];
            }

            foreach (var row in results[w].Rows)
            {
                var origin = batch[Neo4jValue.Int32(row[0])];
                expansions[(origin, relation)] = relation == GraphRelation.Imports
                    ? CapImportedFiles(origin, row[1], query.MaxPerRelation)
                    : [.. Neo4jValue.List(row[1]).Select(NodeRow.Read)];
            }
        }
    }

    internal static CypherStatement NeighbourStatement(GraphRelation relation, IReadOnlyList<SymbolKey> batch, NeighborQuery query)
    {
        var text = relation switch
        {
            GraphRelation.Caller => Cypher.Callers,
            GraphRelation.Callee => Cypher.Callees,
            GraphRelation.Parent => Cypher.Parent,
            GraphRelation.Imports => Cypher.ImportedFiles,
            GraphRelation.BaseType => Cypher.BaseTypes,
            GraphRelation.DerivedType => Cypher.DerivedTypes,
            _ => throw new ArgumentOutOfRangeException(nameof(relation), relation, "one relation flag expected"),
        };
        var nodes = batch.Select((k, i) => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["i"] = i,
            ["repo"] = k.Repository,
            ["path"] = k.Path,
            ["qname"] = k.QualifiedName,
        }).ToList();
        return CypherStatement.Of(
            text,
            ("nodes", nodes),
            ("readable", query.Repositories?.ToArray()),
            ("cap", query.MaxPerRelation),
            ("maxCandidates", Math.Max(1, query.MaxCandidatesPerName)),
            ("callKinds", CallTargetKinds),
            ("constructibleKinds", ConstructibleKinds),
            ("baseKinds", BaseTypeKinds),
            ("typeKinds", TypeKinds));
    }

    /// <summary>The embedded store's cap for imported files: de-duplicated in import order, stopping after the import that reaches the cap.</summary>
    private static List<NodeRow> CapImportedFiles(SymbolKey origin, JsonElement perImport, int cap)
    {
        var files = new List<NodeRow>();
        var seen = new HashSet<(string, string)> { (origin.Repository, origin.Path) };
        foreach (var found in Neo4jValue.List(perImport))
        {
            foreach (var file in Neo4jValue.List(found).Select(NodeRow.Read))
            {
                if (seen.Add((file.Key.Repository, file.Key.Path)))
                {
                    files.Add(file);
                }
            }

            if (files.Count >= cap)
            {
                break;
            }
        }

        return [.. files.Take(cap)];
    }

    private sealed class Walk(SymbolKey origin)
    {
        public SymbolKey Origin => origin;

        public HashSet<SymbolKey> Visited { get; } = [origin];

        public List<SymbolKey> Frontier { get; set; } = [origin];

        public List<GraphNeighbor> Result { get; } = [];
    }

    /// <summary>A symbol or file row as the traversal statements project it.</summary>
    private sealed record NodeRow(SymbolKey Key, SymbolKind Kind, int StartLine, int EndLine)
    {
        public static NodeRow Read(JsonElement map) => new(
            new SymbolKey(
                Neo4jValue.RequiredString(Neo4jValue.Property(map, "repo")),
                Neo4jValue.RequiredString(Neo4jValue.Property(map, "path")),
                Neo4jValue.String(Neo4jValue.Property(map, "qname")) ?? string.Empty),
            Enum.TryParse<SymbolKind>(Neo4jValue.String(Neo4jValue.Property(map, "kind")), out var kind) ? kind : SymbolKind.Function,
            Neo4jValue.Int32(Neo4jValue.Property(map, "startLine"), 1),
            Neo4jValue.Int32(Neo4jValue.Property(map, "endLine"), 1));
    }
}
