using System.Text.Json;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>A stored symbol (or a file's top level, with an empty qualified name).</summary>
internal sealed record SymbolRow(string Repository, string Path, string QualifiedName, string Name, SymbolKind Kind, int StartLine, int EndLine, string? Parent)
{
    public SymbolKey Key { get; } = new(Repository, Path, QualifiedName);

    public string? ParentSimpleName => Parent is null ? null : Parent[(Parent.LastIndexOf('.') + 1)..];
}

/// <summary>An import of a stored file, prepared for matching (the imported names are not needed to resolve calls).</summary>
internal sealed record ImportRow(string Module, string? Alias, ImportTarget Target)
{
    public string LastSegment { get; } = ModulePaths.LastSegment(Module);
}

/// <summary>
/// Late-bound resolution of call names and base-type names at query time, restricted to readable repositories.
/// One instance per query, over one read transaction; caches candidates and imports.
/// </summary>
internal sealed class GraphResolver
{
    private static readonly SymbolKind[] CallTargetKinds = [SymbolKind.Method, SymbolKind.Function, SymbolKind.Constructor, SymbolKind.Class, SymbolKind.Struct, SymbolKind.Record];
    private static readonly SymbolKind[] BaseTypeKinds = [SymbolKind.Class, SymbolKind.Interface, SymbolKind.Struct, SymbolKind.Record];
    private static readonly HashSet<SymbolKind> ConstructibleKinds = [SymbolKind.Class, SymbolKind.Struct, SymbolKind.Record];
    /// <summary>The kinds a call name resolves to, as a SQL list of literals (enum names, no user input).</summary>
    public static string CallTargetKindsSql { get; } = string.Join(", ", CallTargetKinds.Select(k => $"'{k}'"));

    private static readonly string CallTargetKindsJson = JsonSerializer.Serialize(CallTargetKinds.Select(k => k.ToString()));
    private static readonly string BaseTypeKindsJson = JsonSerializer.Serialize(BaseTypeKinds.Select(k => k.ToString()));
    private const string SymbolColumns = "repository, path, qualified_name, name, kind, start_line, end_line, parent_qualified_name";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly HashSet<string>? _readable;
    private readonly string? _readableJson;
    private readonly int _maxCandidates;
    private readonly Dictionary<(bool Types, string Name), List<SymbolRow>> _candidates = [];
    private readonly Dictionary<(string, string), List<ImportRow>> _imports = [];
    private readonly Dictionary<SymbolKey, List<SymbolRow>> _constructors = [];
    private readonly Dictionary<SymbolKey, SymbolRow?> _symbols = [];
    private readonly Dictionary<(string, string), SymbolRow?> _fileRows = [];
    private readonly GraphCache _cache;
    private readonly long _sequence;
    private readonly string _readableKey;
    private FileIndex? _fileIndex;
    private readonly Dictionary<string, CandidateSet> _callTargets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CandidateSet> _baseTypeTargets = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string, string, string, bool), IReadOnlyList<SymbolRow>> _resolvedCalls = [];

    /// <param name="connection">The connection of this query.</param>
    /// <param name="transaction">Its read transaction, which sees commit sequence <paramref name="sequence"/>.</param>
    /// <param name="readable">Readable repositories (null: all).</param>
    /// <param name="maxCandidates">A name with more candidates than this (after locality preference) stays unresolved.</param>
    /// <param name="cache">State shared by queries of the same commit sequence.</param>
    /// <param name="sequence">The commit sequence the transaction sees.</param>
    public GraphResolver(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string>? readable, int maxCandidates, GraphCache cache, long sequence)
    {
        _cache = cache;
        _sequence = sequence;
        _readableKey = readable is null ? "*" : JsonSerializer.Serialize(readable.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        _connection = connection;
        _transaction = transaction;
        _readable = readable is null ? null : new HashSet<string>(readable, StringComparer.Ordinal);
        _readableJson = readable is null ? null : JsonSerializer.Serialize(readable);
        _maxCandidates = maxCandidates;
    }

    /// <summary>Every stored file (all repositories; filter with <see cref="IsReadable"/>), indexed for import matching.</summary>
    public FileIndex Files => _fileIndex ??= _cache.Files(_sequence, () => FileIndex.Load(_connection, _transaction, _sequence));

    /// <summary>Files imported by a file (the Imports relation), per (repository, path), for this query's cap.</summary>
    public Dictionary<(string Repository, string Path), List<SymbolRow>> ImportedFiles { get; } = [];

    /// <summary>The SQL fragment restricting <c>repository</c> to readable ones (bound by <see cref="Command"/>).</summary>
    /// <remarks>
    /// CGR: the unary <c>+</c> keeps the planner from driving the query by the repository prefix of a primary key: with
    /// the ACL list it otherwise scanned every call or symbol of the readable repositories (tens of ms per lookup at
    /// 50k chunks, growing with the index) instead of using the name or qualified-name index. Same rows either way.
    /// </remarks>
    public string ReadableClause(string column = "repository") =>
        _readableJson is null ? "1 = 1" : $"+{column} IN (SELECT value FROM json_each($readable))";

    public bool IsReadable(string repository) => _readable is null || _readable.Contains(repository);

    /// <summary>The readable repositories; null when every one is.</summary>
    public IReadOnlySet<string>? ReadableRepositories => _readable;

    /// <summary><see cref="EmbeddedStore.NamespaceFilesOfRepositories"/> in this resolver's read.</summary>
    public List<(string Repository, string Path)> NamespaceFilesOfRepositories(IEnumerable<string> repositories, string prefix, int limit) =>
        EmbeddedStore.NamespaceFilesOfRepositories(_connection, _transaction, repositories, prefix, limit);

    /// <summary>Whether any repository other than <paramref name="repository"/> is readable.</summary>
    public bool IsAnyOtherReadable(string repository) => _readable is null || _readable.Any(r => r != repository);

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = EmbeddedStore.Command(_connection, _transaction, sql, parameters);
        if (_readableJson is not null && sql.Contains("$readable", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$readable", _readableJson);
        }

        return command;
    }

    /// <summary>The stored symbol, a file-level row for an empty qualified name of a stored file, or null.</summary>
    public SymbolRow? GetSymbol(SymbolKey key)
    {
        if (_symbols.TryGetValue(key, out var cached))
        {
            return cached;
        }

        SymbolRow? row = null;
        if (IsReadable(key.Repository))
        {
            if (key.QualifiedName.Length == 0)
            {
                row = FileRow(key.Repository, key.Path);
            }
            else
            {
                using var command = Command(
                    $"SELECT {SymbolColumns} FROM symbols WHERE repository = $r AND path = $p AND qualified_name = $q",
                    ("$r", key.Repository),
                    ("$p", key.Path),
                    ("$q", key.QualifiedName));
                row = ReadSymbols(command).FirstOrDefault();
            }
        }

        _symbols[key] = row;
        return row;
    }

    /// <summary>A file's top level as a pseudo symbol (kind Module, lines 1..last symbol line), when the file is stored.</summary>
    public SymbolRow? FileRow(string repository, string path)
    {
        if (!_fileRows.TryGetValue((repository, path), out var row))
        {
            row = ReadFileRow(repository, path);
            _fileRows[(repository, path)] = row;
        }

        return row;
    }

    private SymbolRow? ReadFileRow(string repository, string path)
    {
        using var command = Command(
            """
            SELECT (SELECT count(*) FROM files WHERE repository = $r AND path = $p),
                   (SELECT max(end_line) FROM symbols WHERE repository = $r AND path = $p)
            """,
            ("$r", repository),
            ("$p", path));
        using var reader = command.ExecuteReader();
        reader.Read();
        if (reader.GetInt64(0) == 0)
        {
            return null;
        }

        var end = reader.IsDBNull(1) ? 1 : reader.GetInt32(1);
        return new SymbolRow(repository, path, string.Empty, System.IO.Path.GetFileName(path), SymbolKind.Module, 1, Math.Max(1, end), null);
    }

    public List<ImportRow> Imports(string repository, string path)
    {
        if (_imports.TryGetValue((repository, path), out var cached))
        {
            return cached;
        }

        if (_cache.Imports(_sequence, (repository, path)) is { } shared)
        {
            _imports[(repository, path)] = shared;
            return shared;
        }

        using var command = Command(
            "SELECT module, alias FROM imports WHERE repository = $r AND path = $p ORDER BY ordinal",
            ("$r", repository),
            ("$p", path));
        using var reader = command.ExecuteReader();
        var result = new List<ImportRow>();
        while (reader.Read())
        {
            result.Add(ReadImport(reader, 0, path));
        }

        _imports[(repository, path)] = result;
        _cache.AddImports(_sequence, [new((repository, path), result)]);
        return result;
    }

    /// <summary>An import from the columns module, alias starting at <paramref name="first"/>.</summary>
    private static ImportRow ReadImport(SqliteDataReader reader, int first, string path)
    {
        var module = reader.GetString(first);
        return new ImportRow(module, reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1), ModulePaths.Prepare(module, path));
    }

    /// <summary>Loads the imports of every listed file not loaded yet in one query (a caller scan visits hundreds of files).</summary>
    public void PrefetchImports(IEnumerable<(string Repository, string Path)> files)
    {
        var missing = new List<(string Repository, string Path)>();
        foreach (var file in files.Distinct())
        {
            if (_imports.ContainsKey(file))
            {
                continue;
            }

            if (_cache.Imports(_sequence, file) is { } shared)
            {
                _imports[file] = shared;
            }
            else
            {
                missing.Add(file);
            }
        }

        if (missing.Count < 2)
        {
            return;
        }

        foreach (var file in missing)
        {
            _imports[file] = [];
        }

        using var command = Command(
            """
            SELECT i.repository, i.path, i.module, i.alias FROM json_each($files) AS f
            CROSS JOIN imports i ON i.repository = f.value ->> '$[0]' AND i.path = f.value ->> '$[1]'
            ORDER BY f.key, i.ordinal
            """,
            ("$files", JsonSerializer.Serialize(missing.Select(f => new[] { f.Repository, f.Path }))));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var path = reader.GetString(1);
            _imports[(reader.GetString(0), path)].Add(ReadImport(reader, 2, path));
        }

        _cache.AddImports(_sequence, missing.Select(f => new KeyValuePair<(string, string), List<ImportRow>>(f, _imports[f])));
    }

    /// <summary>Definitions a call <paramref name="name"/> (with <paramref name="qualifier"/>) in file (repo, path) resolves to.</summary>
    /// <remarks>
    /// Memoised per query: a caller scan meets the same name from the same file many times. <paramref name="scan"/>: the
    /// caller resolves this name from many files (a caller scan), so the index-wide candidates are loaded at once.
    /// </remarks>
    public IReadOnlyList<SymbolRow> ResolveCall(string repository, string path, string name, string? qualifier, bool scan = false)
    {
        var key = (repository, path, name, qualifier ?? string.Empty, qualifier is null);
        if (!_resolvedCalls.TryGetValue(key, out var resolved))
        {
            resolved = ResolveCallUncached(repository, path, name, qualifier, scan);
            _resolvedCalls[key] = resolved;
        }

        return resolved;
    }

    private IReadOnlyList<SymbolRow> ResolveCallUncached(string repository, string path, string name, string? qualifier, bool scan)
    {
        // CGR: a name the calling file defines resolves among that file's definitions alone (same file comes first, and
        // the qualifier only narrows within them), so the index-wide candidates (2.6k for __init__ at 100k chunks) are
        // loaded only for names the file does not define, unless they are at hand already. Same rows, same order.
        if (!scan && !_callTargets.ContainsKey(name) && !_cache.HasCandidates(_sequence, _readableKey, types: false, name))
        {
            var local = InFileCandidates(repository, path, name);
            if (local.Count > 0)
            {
                return Choose(repository, path, new CandidateSet(ExpandConstructors(local)), qualifier);
            }
        }

        if (!_callTargets.TryGetValue(name, out var set))
        {
            set = _cache.Candidates(_sequence, _readableKey, types: false, name, () => new CandidateSet(ExpandConstructors(Candidates(name, types: false))));
            _callTargets[name] = set;
        }

        return Choose(repository, path, set, qualifier);
    }

    /// <summary>Call targets of a name: constructible types are replaced by their constructors when they have any.</summary>
    private List<SymbolRow> ExpandConstructors(List<SymbolRow> candidates)
    {
        var expanded = new List<SymbolRow>();
        var seen = new HashSet<SymbolKey>();
        foreach (var candidate in candidates)
        {
            if (ConstructibleKinds.Contains(candidate.Kind))
            {
                var constructors = Constructors(candidate);
                if (constructors.Count > 0)
                {
                    foreach (var constructor in constructors)
                    {
                        if (seen.Add(constructor.Key))
                        {
                            expanded.Add(constructor);
                        }
                    }

                    continue;
                }
            }

            if (seen.Add(candidate.Key))
            {
                expanded.Add(candidate);
            }
        }

        return expanded;
    }

    /// <summary>Type definitions a base-type name written in file (repo, path) resolves to.</summary>
    public IReadOnlyList<SymbolRow> ResolveBaseType(string repository, string path, string baseName)
    {
        if (!_baseTypeTargets.TryGetValue(baseName, out var set))
        {
            set = _cache.Candidates(_sequence, _readableKey, types: true, baseName, () => new CandidateSet(Candidates(baseName, types: true)));
            _baseTypeTargets[baseName] = set;
        }

        return Choose(repository, path, set, null);
    }

    public List<SymbolRow> Constructors(SymbolRow type)
    {
        if (_constructors.TryGetValue(type.Key, out var cached))
        {
            return cached;
        }

        using var command = Command(
            $"SELECT {SymbolColumns} FROM symbols WHERE repository = $r AND path = $p AND parent_qualified_name = $q AND kind = 'Constructor' ORDER BY qualified_name",
            ("$r", type.Repository),
            ("$p", type.Path),
            ("$q", type.QualifiedName));
        var result = ReadSymbols(command);
        _constructors[type.Key] = result;
        return result;
    }

    public static List<SymbolRow> ReadSymbols(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var result = new List<SymbolRow>();
        while (reader.Read())
        {
            result.Add(new SymbolRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                Enum.TryParse<SymbolKind>(reader.GetString(4), out var kind) ? kind : SymbolKind.Function,
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return result;
    }

    /// <summary>The call targets named <paramref name="name"/> defined in one readable file, in candidate order.</summary>
    private List<SymbolRow> InFileCandidates(string repository, string path, string name)
    {
        using var command = Command(
            $"""
            SELECT {SymbolColumns} FROM symbols
            WHERE name = $n AND repository = $r AND path = $p AND kind IN (SELECT value FROM json_each($kinds)) AND {ReadableClause()}
            ORDER BY qualified_name
            """,
            ("$n", name),
            ("$r", repository),
            ("$p", path),
            ("$kinds", CallTargetKindsJson));
        return ReadSymbols(command);
    }

    private List<SymbolRow> Candidates(string name, bool types)
    {
        if (_candidates.TryGetValue((types, name), out var cached))
        {
            return cached;
        }

        var kinds = types ? BaseTypeKindsJson : CallTargetKindsJson;
        using var command = Command(
            $"""
            SELECT {SymbolColumns} FROM symbols
            WHERE name = $n AND kind IN (SELECT value FROM json_each($kinds)) AND {ReadableClause()}
            ORDER BY repository, path, qualified_name
            """,
            ("$n", name),
            ("$kinds", kinds));
        var result = ReadSymbols(command);
        _candidates[(types, name)] = result;
        return result;
    }

    private List<SymbolRow> Choose(string repository, string path, CandidateSet set, string? qualifier)
    {
        var rows = set.Rows;
        if (rows.Count == 0)
        {
            return [];
        }

        var chosen = set.InFile(repository, path);
        if (chosen.Count == 0)
        {
            var imports = Imports(repository, path);
            if (imports.Count > 0)
            {
                chosen = set.MatchingImports(imports, repository);

                // CGR: an imported module that exists in this repository and in others (vendored copies, forks) means this one.
                if (chosen.Any(i => rows[i].Repository == repository))
                {
                    chosen = chosen.Where(i => rows[i].Repository == repository).ToList();
                }
            }
        }

        if (chosen.Count == 0)
        {
            chosen = set.InRepository(repository);
        }

        if (chosen.Count == 0)
        {
            chosen = set.All;
        }

        if (!string.IsNullOrWhiteSpace(qualifier) && chosen.Count > 1)
        {
            var segment = ModulePaths.QualifierLastSegment(qualifier);
            var aliased = Imports(repository, path)
                .Where(i => i.Alias == qualifier || (i.Alias is null && (i.Module == qualifier || i.LastSegment == qualifier)))
                .ToList();
            var narrowed = set.Narrow(chosen, segment, aliased.Count == 0 ? [] : set.MatchingImports(aliased, repository));
            if (narrowed.Count > 0)
            {
                chosen = narrowed;
            }
        }

        return chosen.Count > _maxCandidates ? [] : chosen.ConvertAll(i => rows[i]);
    }
}
