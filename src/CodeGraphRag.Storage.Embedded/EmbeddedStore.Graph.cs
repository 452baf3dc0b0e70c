using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;

namespace CodeGraphRag.Storage.Embedded;

/// <content>ICodeGraphStore: neighbours through late-bound resolution at query time.</content>
public sealed partial class EmbeddedStore
{
    private static readonly GraphRelation[] RelationOrder =
        [GraphRelation.Caller, GraphRelation.Callee, GraphRelation.Parent, GraphRelation.Imports, GraphRelation.BaseType, GraphRelation.DerivedType];

    private static readonly HashSet<SymbolKind> TypeKinds = [SymbolKind.Class, SymbolKind.Interface, SymbolKind.Struct, SymbolKind.Record, SymbolKind.Enum];

    /// <inheritdoc/>
    public Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default) =>
        RunAsync("GetNeighbors", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(symbols);
            ArgumentNullException.ThrowIfNull(query);
            var result = new List<GraphNeighbor>();
            if (symbols.Count == 0 || query.Relations == GraphRelation.None || query.MaxPerRelation <= 0 || query.Depth <= 0)
            {
                return (IReadOnlyList<GraphNeighbor>)result;
            }

            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: true);
            var resolver = new GraphResolver(connection, transaction, query.Repositories, Math.Max(1, query.MaxCandidatesPerName));
            var expansions = new Dictionary<(SymbolKey, GraphRelation), List<SymbolRow>>();
            foreach (var origin in symbols.Distinct())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = resolver.GetSymbol(origin);
                if (start is null)
                {
                    continue;
                }

                var visited = new HashSet<SymbolKey> { start.Key };
                var frontier = new List<SymbolRow> { start };
                for (var depth = 1; depth <= query.Depth && frontier.Count > 0; depth++)
                {
                    var next = new List<SymbolRow>();
                    foreach (var node in frontier)
                    {
                        foreach (var relation in RelationOrder)
                        {
                            if (!query.Relations.HasFlag(relation))
                            {
                                continue;
                            }

                            if (!expansions.TryGetValue((node.Key, relation), out var neighbours))
                            {
                                neighbours = Expand(resolver, node, relation, query.MaxPerRelation);
                                expansions[(node.Key, relation)] = neighbours;
                            }

                            foreach (var neighbour in neighbours)
                            {
                                // CGR: the ACL is enforced here as well as in every resolution query (defence in depth).
                                if (!resolver.IsReadable(neighbour.Repository) || !visited.Add(neighbour.Key))
                                {
                                    continue;
                                }

                                result.Add(new GraphNeighbor(origin, relation, neighbour.Key, neighbour.Kind, neighbour.StartLine, neighbour.EndLine, depth));
                                next.Add(neighbour);
                            }
                        }
                    }

                    frontier = next;
                }
            }

            transaction.Commit();
            return (IReadOnlyList<GraphNeighbor>)result;
        });

    private static List<SymbolRow> Expand(GraphResolver resolver, SymbolRow node, GraphRelation relation, int cap) => relation switch
    {
        GraphRelation.Callee => Callees(resolver, node, cap),
        GraphRelation.Caller => Callers(resolver, node, cap),
        GraphRelation.Parent => Parent(resolver, node),
        GraphRelation.Imports => ImportedFiles(resolver, node, cap),
        GraphRelation.BaseType => BaseTypes(resolver, node, cap),
        GraphRelation.DerivedType => DerivedTypes(resolver, node, cap),
        _ => [],
    };

    private static List<SymbolRow> Callees(GraphResolver resolver, SymbolRow node, int cap)
    {
        var result = new List<SymbolRow>();
        var seen = new HashSet<SymbolKey> { node.Key };
        using var command = resolver.Command(
            "SELECT name, qualifier FROM calls WHERE repository = $r AND path = $p AND caller = $c ORDER BY line, ordinal",
            ("$r", node.Repository),
            ("$p", node.Path),
            ("$c", node.QualifiedName));
        var calls = new List<(string Name, string? Qualifier)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                calls.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        foreach (var (name, qualifier) in calls)
        {
            foreach (var target in resolver.ResolveCall(node.Repository, node.Path, name, qualifier))
            {
                if (seen.Add(target.Key))
                {
                    result.Add(target);
                    if (result.Count >= cap)
                    {
                        return result;
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Call sites examined per name when looking for callers: a name called from thousands of places (get, run,
    /// __init__) costs bounded work, and the first sites in path order are as good as any for related code.
    /// </summary>
    private const int MaxCallSitesScanned = 2000;

    private static List<SymbolRow> Callers(GraphResolver resolver, SymbolRow node, int cap)
    {
        if (node.QualifiedName.Length == 0)
        {
            return [];
        }

        var names = new List<string> { node.Name };
        if (node.Kind == SymbolKind.Constructor && node.ParentSimpleName is { } typeName && typeName != node.Name)
        {
            names.Add(typeName);
        }

        bool IsTarget(SymbolRow target) =>
            target.Key == node.Key
            || (TypeKinds.Contains(node.Kind) && target.Kind == SymbolKind.Constructor
                && target.Repository == node.Repository && target.Path == node.Path && target.Parent == node.QualifiedName);

        var rows = new List<(string Repository, string Path, string Caller, string Name, string? Qualifier)>();
        using (var command = resolver.Command(
            $"""
            SELECT repository, path, caller, name, qualifier FROM calls
            WHERE name IN (SELECT value FROM json_each($names)) AND {resolver.ReadableClause()}
            ORDER BY repository, path, line, ordinal
            LIMIT {MaxCallSitesScanned}
            """,
            ("$names", System.Text.Json.JsonSerializer.Serialize(names))))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        resolver.PrefetchImports(rows.Select(r => (r.Repository, r.Path)));
        var result = new List<SymbolRow>();
        var seen = new HashSet<SymbolKey> { node.Key };
        foreach (var row in rows)
        {
            var callerKey = new SymbolKey(row.Repository, row.Path, row.Caller);
            if (seen.Contains(callerKey) || !resolver.ResolveCall(row.Repository, row.Path, row.Name, row.Qualifier).Any(IsTarget))
            {
                continue;
            }

            var caller = resolver.GetSymbol(callerKey) ?? resolver.FileRow(row.Repository, row.Path);
            if (caller is not null && seen.Add(callerKey))
            {
                result.Add(caller);
                if (result.Count >= cap)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static List<SymbolRow> Parent(GraphResolver resolver, SymbolRow node) =>
        node.Parent is { Length: > 0 } parent && resolver.GetSymbol(new SymbolKey(node.Repository, node.Path, parent)) is { } row ? [row] : [];

    private static List<SymbolRow> ImportedFiles(GraphResolver resolver, SymbolRow node, int cap)
    {
        // Every symbol of a file imports the same files: hits from one file resolve its imports once per query.
        if (!resolver.ImportedFiles.TryGetValue((node.Repository, node.Path), out var cached))
        {
            cached = ResolveImportedFiles(resolver, node, cap);
            resolver.ImportedFiles[(node.Repository, node.Path)] = cached;
        }

        return cached;
    }

    private static List<SymbolRow> ResolveImportedFiles(GraphResolver resolver, SymbolRow node, int cap)
    {
        var files = new List<(string Repository, string Path)>();
        var seen = new HashSet<(string, string)> { (node.Repository, node.Path) };
        foreach (var import in resolver.Imports(node.Repository, node.Path))
        {
            foreach (var file in ResolveImportToFiles(resolver, node, import))
            {
                if (seen.Add(file))
                {
                    files.Add(file);
                }
            }

            if (files.Count >= cap)
            {
                break;
            }
        }

        var result = new List<SymbolRow>();
        foreach (var (repository, path) in files.Take(cap))
        {
            if (resolver.FileRow(repository, path) is { } row)
            {
                result.Add(row);
            }
        }

        return result;
    }

    private static IEnumerable<(string Repository, string Path)> ResolveImportToFiles(GraphResolver resolver, SymbolRow node, ImportRow import)
    {
        var (normalized, relative) = ModulePaths.Normalize(import.Module, node.Path);
        if (normalized.Length == 0 && !relative)
        {
            return [];
        }

        var found = new List<(string, string)>();
        if (relative && !resolver.IsReadable(node.Repository))
        {
            return found;
        }

        // CGR: the same rows, in the same order, as `path LIKE` ('normalized%' for a relative import within the node's
        // repository, '%normalized%' across readable ones) ORDER BY repository = $r DESC, repository, path, matched
        // in memory against the readable files loaded once per query (SQLite's LIKE folds ASCII case only).
        var candidates = resolver.ReadableFiles()
            .Where(f => relative ? f.Repository == node.Repository && SqlLike.StartsWith(f.Path, normalized) : SqlLike.Contains(f.Path, normalized))
            .ToList();
        foreach (var (repository, path) in candidates.Where(f => f.Repository == node.Repository).Concat(candidates.Where(f => f.Repository != node.Repository)))
        {
            if (ModulePaths.Matches(import.Target, node.Repository, repository, ModulePaths.StripExtension(path), ModulePaths.Folder(path), null))
            {
                found.Add((repository, path));
            }
        }

        if (!relative)
        {
            var prefix = import.Module.Trim() + ".";
            using var command = resolver.Command(
                $"""
                SELECT DISTINCT repository, path FROM symbols
                WHERE qualified_name >= $lo AND qualified_name < $hi AND {resolver.ReadableClause()}
                ORDER BY repository = $r DESC, repository, path LIMIT 1000
                """,
                ("$lo", prefix),
                ("$hi", prefix[..^1] + "/"),
                ("$r", node.Repository));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return found;
    }

    private static List<SymbolRow> BaseTypes(GraphResolver resolver, SymbolRow node, int cap)
    {
        var result = new List<SymbolRow>();
        var seen = new HashSet<SymbolKey> { node.Key };
        var bases = new List<string>();
        using (var command = resolver.Command(
            "SELECT base_name FROM inheritance WHERE repository = $r AND path = $p AND type_qualified_name = $t ORDER BY ordinal",
            ("$r", node.Repository),
            ("$p", node.Path),
            ("$t", node.QualifiedName)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                bases.Add(reader.GetString(0));
            }
        }

        foreach (var baseName in bases)
        {
            foreach (var target in resolver.ResolveBaseType(node.Repository, node.Path, baseName))
            {
                if (seen.Add(target.Key))
                {
                    result.Add(target);
                    if (result.Count >= cap)
                    {
                        return result;
                    }
                }
            }
        }

        return result;
    }

    private static List<SymbolRow> DerivedTypes(GraphResolver resolver, SymbolRow node, int cap)
    {
        if (!TypeKinds.Contains(node.Kind))
        {
            return [];
        }

        var rows = new List<(string Repository, string Path, string Type)>();
        using (var command = resolver.Command(
            $"""
            SELECT repository, path, type_qualified_name FROM inheritance
            WHERE base_name = $b AND {resolver.ReadableClause()} ORDER BY repository, path, ordinal
            """,
            ("$b", node.Name)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var result = new List<SymbolRow>();
        var seen = new HashSet<SymbolKey> { node.Key };
        foreach (var (repository, path, type) in rows)
        {
            var key = new SymbolKey(repository, path, type);
            if (seen.Contains(key) || !resolver.ResolveBaseType(repository, path, node.Name).Any(t => t.Key == node.Key))
            {
                continue;
            }

            if (resolver.GetSymbol(key) is { } derived && seen.Add(key))
            {
                result.Add(derived);
                if (result.Count >= cap)
                {
                    break;
                }
            }
        }

        return result;
    }
}
