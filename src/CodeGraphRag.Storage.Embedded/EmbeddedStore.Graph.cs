using System.Globalization;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded;

/// <content>ICodeGraphStore: neighbours through late-bound resolution at query time.</content>
public sealed partial class EmbeddedStore
{
    private static readonly GraphRelation[] RelationOrder =
        [GraphRelation.Caller, GraphRelation.Callee, GraphRelation.Parent, GraphRelation.Imports, GraphRelation.BaseType, GraphRelation.DerivedType];

    private static readonly HashSet<SymbolKind> TypeKinds = [SymbolKind.Class, SymbolKind.Interface, SymbolKind.Struct, SymbolKind.Record, SymbolKind.Enum];

    /// <inheritdoc/>
    public Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(
        IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default) =>
        RunAsync("FindDefinitions", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(names);
            var result = new List<SymbolDefinition>();
            if (names.Count == 0 || limitPerName <= 0 || repositories is { Count: 0 })
            {
                return (IReadOnlyList<SymbolDefinition>)result;
            }

            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                """
                SELECT repository, path, qualified_name, kind FROM symbols
                WHERE name = $n AND ($repos IS NULL OR repository IN (SELECT value FROM json_each($repos)))
                ORDER BY repository, path, qualified_name LIMIT $limit
                """,
                ("$n", string.Empty),
                ("$repos", repositories is null ? null : System.Text.Json.JsonSerializer.Serialize(repositories)),
                ("$limit", limitPerName));
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                command.Parameters["$n"].Value = name;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    result.Add(new SymbolDefinition(
                        name,
                        new SymbolKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                        Enum.TryParse<SymbolKind>(reader.GetString(3), out var kind) ? kind : SymbolKind.Function));
                }
            }

            return result;
        });

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
            var sequence = DenseVectorIndex.ReadCommitSequence(connection, transaction);
            var resolver = new GraphResolver(connection, transaction, query.Repositories, Math.Max(1, query.MaxCandidatesPerName), _graphCache, sequence);
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
    /// Call sites examined when looking for a symbol's callers, nearest first (see <see cref="Callers"/>): a name called
    /// from thousands of places (get, run, __init__) costs bounded work per query.
    /// </summary>
    internal const int MaxCallSitesScanned = 200;

    /// <summary>Folder levels above the symbol's file that rank call sites (deeper ones count as the same repository).</summary>
    private const int MaxRankedFolderLevels = 8;

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

        // CGR: call sites are examined nearest first (the symbol's own file, then its folder and each folder above it,
        // then the rest of its repository, then other repositories; by path and position within each) and at most
        // MaxCallSitesScanned of them: a common name (__init__, get) has thousands of sites, and resolving each one
        // dominated the graph stage at 100k chunks. The ranking reads only ix_calls_name (name + primary key).
        // The own repository and the others are limited separately before the merge (other repositories all rank last,
        // in index order): ranking every site fleet-wide first cost 11-16 ms for `Add` (52k sites) at 1.26M chunks.
        var folders = new List<string>();
        for (var folder = ModulePaths.Folder(node.Path); folder.Length > 0 && folders.Count < MaxRankedFolderLevels; folder = ModulePaths.Folder(folder))
        {
            folders.Add(folder + "/");
        }

        var rank = new System.Text.StringBuilder("CASE WHEN repository <> $r THEN ").Append(folders.Count + 2)
            .Append(" WHEN path = $p THEN 0");
        for (var i = 0; i < folders.Count; i++)
        {
            rank.Append(CultureInfo.InvariantCulture, $" WHEN substr(path, 1, length($f{i})) = $f{i} THEN {i + 1}");
        }

        rank.Append(" ELSE ").Append(folders.Count + 1).Append(" END");
        var parameters = new List<(string, object?)>
        {
            ("$names", System.Text.Json.JsonSerializer.Serialize(names)),
            ("$r", node.Repository),
            ("$p", node.Path),
        };
        parameters.AddRange(folders.Select((f, i) => ($"$f{i}", (object?)f)));
        // A site whose own file defines a call target of the name resolves among that file's definitions (same file
        // first), so outside the symbol's file it can never reach the symbol: it is skipped without resolving it, and
        // without loading every definition of a common name (super().__init__() in a subclass's own __init__).
        var rows = new List<(string Repository, string Path, string Caller, string Name, string? Qualifier)>();
        using (var command = resolver.Command(
            $"""
            SELECT c.repository, c.path, c.caller, c.name, c.qualifier FROM (
                SELECT * FROM (
                    SELECT repository, path, ordinal, {rank} AS rank FROM calls
                    WHERE name IN (SELECT value FROM json_each($names)) AND repository = $r AND {resolver.ReadableClause()}
                    ORDER BY rank, path, ordinal
                    LIMIT {MaxCallSitesScanned})
                UNION ALL
                SELECT * FROM (
                    SELECT repository, path, ordinal, {folders.Count + 2} AS rank FROM calls
                    WHERE name IN (SELECT value FROM json_each($names)) AND repository <> $r AND {resolver.ReadableClause()}
                    ORDER BY repository, path, ordinal
                    LIMIT {MaxCallSitesScanned})
                ORDER BY rank, repository, path, ordinal
                LIMIT {MaxCallSitesScanned}) AS s
            JOIN calls c ON c.repository = s.repository AND c.path = s.path AND c.ordinal = s.ordinal
            WHERE s.rank = 0 OR NOT EXISTS (
                SELECT 1 FROM symbols AS d
                WHERE d.name = c.name AND d.repository = c.repository AND d.path = c.path AND d.kind IN ({GraphResolver.CallTargetKindsSql}))
            ORDER BY s.rank, s.repository, s.path, s.ordinal
            """,
            [.. parameters]))
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
            if (seen.Contains(callerKey) || !resolver.ResolveCall(row.Repository, row.Path, row.Name, row.Qualifier, scan: true).Any(IsTarget))
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
            foreach (var file in ResolveImportToFiles(resolver, node, import, seen, cap - files.Count))
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

    /// <summary>
    /// The files <paramref name="import"/> names, in resolution order, until <paramref name="needed"/> of them are not in
    /// <paramref name="seen"/> (the caller keeps only that many).
    /// </summary>
    private static List<(string Repository, string Path)> ResolveImportToFiles(
        GraphResolver resolver, SymbolRow node, ImportRow import, HashSet<(string, string)> seen, int needed)
    {
        var found = new List<(string, string)>();
        var (normalized, relative) = ModulePaths.Normalize(import.Module, node.Path);
        if ((normalized.Length == 0 && !relative) || (relative && !resolver.IsReadable(node.Repository)))
        {
            return found;
        }

        var distinct = new HashSet<(string, string)>();
        var fresh = 0;
        bool Add((string, string) file)
        {
            found.Add(file);
            if (distinct.Add(file) && !seen.Contains(file))
            {
                fresh++;
            }

            return fresh >= needed;
        }

        // CGR: the same rows, in the same order, as `path LIKE` ('normalized%' for a relative import within the node's
        // repository, '%normalized%' across readable ones) ORDER BY repository = $r DESC, repository, path, taken from
        // the shared file index's candidates (SQLite's LIKE folds ASCII case only).
        var index = resolver.Files;
        var candidates = index.Candidates(import.Target);
        foreach (var sameRepository in new[] { true, false })
        {
            if (relative && !sameRepository)
            {
                break;
            }

            foreach (var (repository, path) in candidates.Select(i => index.Files[i]))
            {
                if ((repository == node.Repository) == sameRepository
                    && resolver.IsReadable(repository)
                    && (relative ? SqlLike.StartsWith(path, normalized) : SqlLike.Contains(path, normalized))
                    && ModulePaths.Matches(import.Target, node.Repository, repository, ModulePaths.StripExtension(path), ModulePaths.Folder(path), null)
                    && Add((repository, path)))
                {
                    return found;
                }
            }
        }

        if (!relative)
        {
            // Files with symbols under the module's qualified name (a namespace or package), the node's repository first.
            // CGR: a broad namespace (`using Orleans;`) has tens of thousands of symbols: each query stops after enough
            // distinct files (in qualified-name order, then sorted by path), instead of collecting and sorting them all.
            var prefix = import.Module.Trim() + ".";
            // The node's repository through the (repository, qualified_name) index; the others through the qualified-name
            // index, or through the first one per readable repository when the caller may read only a few (an ACL: the
            // namespace's symbols are mostly in repositories it cannot read), and not at all when it may read no other.
            foreach (var sameRepository in new[] { true, false })
            {
                if (!sameRepository && !resolver.IsAnyOtherReadable(node.Repository))
                {
                    break;
                }

                var limit = needed - fresh + seen.Count + distinct.Count;
                List<(string Repository, string Path)> rows;
                if (!sameRepository && resolver.ReadableRepositories is { Count: <= Constants.NamespaceLookupMaxReadableList } readable)
                {
                    rows = resolver.NamespaceFilesOfRepositories(readable.Where(r => r != node.Repository), prefix, limit);
                }
                else
                {
                    rows = [];
                    using var command = resolver.Command(
                        NamespaceFilesSql(sameRepository, resolver.ReadableClause(), limit),
                        ("$lo", prefix),
                        ("$hi", prefix[..^1] + "/"),
                        ("$r", node.Repository));
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        rows.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }

                rows.Sort((a, b) => a.Repository == b.Repository ? string.CompareOrdinal(a.Path, b.Path) : string.CompareOrdinal(a.Repository, b.Repository));
                foreach (var row in rows)
                {
                    if (Add(row))
                    {
                        return found;
                    }
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The files defining symbols under a namespace (<c>$lo</c> to <c>$hi</c>), in <c>$r</c> or in the other repositories
    /// <paramref name="readableClause"/> admits, at most <paramref name="limit"/> of them in qualified-name order.
    /// </summary>
    internal static string NamespaceFilesSql(bool sameRepository, string readableClause, int limit) =>
        $"""
        SELECT DISTINCT repository, path FROM symbols
        WHERE qualified_name >= $lo AND qualified_name < $hi AND {(sameRepository ? "repository = $r" : "+repository <> $r")} AND {readableClause}
        LIMIT {limit}
        """;

    /// <summary>
    /// The first <paramref name="limit"/> files that <see cref="NamespaceFilesSql"/> finds in the other repositories, read
    /// one listed repository at a time through the (repository, qualified_name) index: each repository's files in the
    /// order of their first qualified name under the namespace (then path), at most <paramref name="limit"/> of them,
    /// merged by (first qualified name, repository, path), which is where the qualified-name scan first meets each file.
    /// </summary>
    /// <remarks>
    /// CGR: for an ACL caller most of a broad namespace's symbols (`System.`: 37,800 on a 1,000-repository store) are in
    /// repositories it cannot read, and the scan read them all to find a few readable ones: 8-14 ms per import for a
    /// 50-repository list, against 0.5-3 ms here. Grouping the listed repositories' rows in SQL instead was slower where
    /// they hold much of the namespace (`Microsoft.`: 30 ms), so each repository's read stops at its own limit.
    /// </remarks>
    internal static List<(string Repository, string Path)> NamespaceFilesOfRepositories(
        SqliteConnection connection, SqliteTransaction? transaction, IEnumerable<string> repositories, string prefix, int limit)
    {
        var found = new List<(string First, string Repository, string Path)>();
        using var command = Command(
            connection,
            transaction,
            """
            SELECT qualified_name, path FROM symbols INDEXED BY ix_symbols_repository_qualified_name
            WHERE repository = $repository AND qualified_name >= $lo AND qualified_name < $hi
            ORDER BY qualified_name, path
            """,
            ("$repository", string.Empty),
            ("$lo", prefix),
            ("$hi", prefix[..^1] + "/"));
        foreach (var repository in repositories)
        {
            command.Parameters["$repository"].Value = repository;
            var paths = new HashSet<string>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (paths.Count < limit && reader.Read())
            {
                var path = reader.GetString(1);
                if (paths.Add(path))
                {
                    found.Add((reader.GetString(0), repository, path));
                }
            }
        }

        return [.. found
            .OrderBy(f => f.First, StringComparer.Ordinal).ThenBy(f => f.Repository, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Take(limit).Select(f => (f.Repository, f.Path))];
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
