using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;

namespace CodeGraphRag.Storage.Neo4j;

/// <content>IGraphIndex writes: a file's graph and manifest entry in one transaction; removals.</content>
public sealed partial class Neo4jGraphIndex
{
    /// <inheritdoc/>
    public Task ApplyFileAsync(FileRecord file, FileGraph graph, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(file.Repository);
        ArgumentException.ThrowIfNullOrEmpty(file.Path);
        return WriteAsync("ApplyFile", BuildApplyFile(file, graph, _options.BatchSize), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return Task.CompletedTask;
        }

        var statements = GraphRows.Batches([.. paths.Distinct(StringComparer.Ordinal)], _options.BatchSize)
            .Select(batch => CypherStatement.Of(Cypher.RemoveFiles, ("repo", repository), ("paths", batch)))
            .ToList();
        return WriteAsync("RemoveFiles", statements, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        foreach (var text in Cypher.RemoveRepository(_options.BatchSize))
        {
            // CGR: IN TRANSACTIONS needs an auto-commit request of its own; the repository node goes last so a crash
            // part-way leaves it listed and a retry finishes the job.
            await WriteAsync("RemoveRepository", [CypherStatement.Of(text, ("repo", repository))], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One statement when every list fits in a batch; otherwise the file statement (with empty lists) followed by
    /// batches of symbols, calls, imports and inheritance, in that order, all sent as one transaction.
    /// </summary>
    internal static List<CypherStatement> BuildApplyFile(FileRecord file, FileGraph graph, int batchSize)
    {
        var fileProperties = GraphRows.File(file, graph);
        var symbols = GraphRows.Symbols(file.Path, graph.Symbols);
        var calls = GraphRows.Calls(graph);
        var imports = GraphRows.Imports(file.Path, graph.Imports);
        var inheritance = GraphRows.Inheritance(graph.Inheritance);
        var oneBatch = symbols.Count <= batchSize && calls.Count <= batchSize && imports.Count <= batchSize && inheritance.Count <= batchSize;
        var head = CypherStatement.Of(
            Cypher.ReplaceFile,
            ("repo", file.Repository),
            ("path", file.Path),
            ("file", fileProperties),
            ("symbols", oneBatch ? symbols : []),
            ("calls", oneBatch ? calls : []),
            ("imports", oneBatch ? imports : []),
            ("inheritance", oneBatch ? inheritance : []));
        var statements = new List<CypherStatement> { head };
        if (oneBatch)
        {
            return statements;
        }

        void Add(string text, string name, List<Dictionary<string, object?>> rows)
        {
            if (rows.Count > 0)
            {
                statements.AddRange(GraphRows.Batches(rows, batchSize).Select(b => CypherStatement.Of(text, ("repo", file.Repository), ("path", file.Path), (name, b))));
            }
        }

        Add(Cypher.AddSymbols, "symbols", symbols);
        Add(Cypher.AddCalls, "calls", calls);
        Add(Cypher.AddImports, "imports", imports);
        Add(Cypher.AddInheritance, "inheritance", inheritance);
        return statements;
    }
}
