using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>
/// Builds the parameter rows of a file's write. Everything the traversal query needs to resolve late-bound names the
/// way the embedded store does (normalised import paths, qualifier segments, a symbol's file stem and folder) is
/// computed here once, so the Cypher only compares strings.
/// </summary>
internal static class GraphRows
{
    public static Dictionary<string, object?> File(FileRecord file, FileGraph graph)
    {
        var stem = ModulePaths.StripExtension(file.Path);
        var lastLine = graph.Symbols.Count == 0 ? 1 : Math.Max(1, graph.Symbols.Max(s => s.EndLine));
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["language"] = file.Language,
            ["contentHash"] = file.ContentHash,
            ["size"] = file.Size,
            ["pipelineVersion"] = file.PipelineVersion,
            ["status"] = file.Status.ToString(),
            ["reason"] = file.Reason,
            ["chunkCount"] = file.ChunkCount,
            ["class"] = file.Class.Name(),
            ["symbolCount"] = graph.Symbols.Select(s => s.QualifiedName).Distinct(StringComparer.Ordinal).Count(),
            ["referenceCount"] = graph.Calls.Count + graph.Imports.Count + graph.Inheritance.Count,
            ["qname"] = string.Empty,
            ["name"] = System.IO.Path.GetFileName(file.Path),
            ["kind"] = nameof(SymbolKind.Module),
            ["startLine"] = 1,
            ["endLine"] = lastLine,
            ["stem"] = stem,
            ["folder"] = ModulePaths.Folder(file.Path),
        };
    }

    public static List<Dictionary<string, object?>> Symbols(string path, IReadOnlyList<SymbolInfo> symbols)
    {
        var stem = ModulePaths.StripExtension(path);
        var folder = ModulePaths.Folder(path);
        return [.. symbols.Select(s =>
        {
            var parentSimple = s.ParentQualifiedName is null ? null : s.ParentQualifiedName[(s.ParentQualifiedName.LastIndexOf('.') + 1)..];
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["qname"] = s.QualifiedName,
                ["name"] = s.Name,
                ["kind"] = s.Kind.ToString(),
                ["startLine"] = s.StartLine,
                ["endLine"] = s.EndLine,
                ["parent"] = s.ParentQualifiedName,
                ["parentSimple"] = parentSimple,
                ["parentSimpleLower"] = parentSimple?.ToLowerInvariant(),
                ["signature"] = s.Signature,
                ["stem"] = stem,
                ["folder"] = folder,
            };
        })];
    }

    public static List<Dictionary<string, object?>> Calls(FileGraph graph) =>
        [.. graph.Calls.Select((c, ordinal) => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ordinal"] = ordinal,
            ["caller"] = c.CallerQualifiedName,
            ["name"] = c.Name,
            ["qualifier"] = c.Qualifier,
            ["line"] = c.Line,
            ["segment"] = string.IsNullOrWhiteSpace(c.Qualifier) ? null : ModulePaths.QualifierLastSegment(c.Qualifier).ToLowerInvariant(),
            ["aliased"] = NullIfEmpty(AliasedImports(graph.Imports, c.Qualifier)),
        })];

    public static List<Dictionary<string, object?>> Imports(string path, IReadOnlyList<ImportInfo> imports) =>
        [.. imports.Select((i, ordinal) =>
        {
            var (normalized, relative) = ModulePaths.Normalize(i.Module, path);
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["ordinal"] = ordinal,
                ["module"] = i.Module,
                ["names"] = NullIfEmpty(i.Names.ToArray()),
                ["alias"] = i.Alias,
                ["line"] = i.Line,
                ["norm"] = normalized,
                ["relative"] = relative,
                ["slashNorm"] = "/" + normalized,
                ["normIndex"] = normalized.Length == 0 ? "index" : normalized + "/index",
                ["normInit"] = normalized.Length == 0 ? "__init__" : normalized + "/__init__",
                ["qprefix"] = i.Module.Trim() + ".",
            };
        })];

    public static List<Dictionary<string, object?>> Inheritance(IReadOnlyList<InheritanceInfo> inheritance) =>
        [.. inheritance.Select((h, ordinal) => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ordinal"] = ordinal,
            ["type"] = h.TypeQualifiedName,
            ["baseName"] = h.BaseName,
            ["line"] = h.Line,
        })];

    /// <summary>Ordinals of the imports a call's qualifier names (its alias, the module itself, or the module's last segment).</summary>
    public static int[] AliasedImports(IReadOnlyList<ImportInfo> imports, string? qualifier)
    {
        if (string.IsNullOrWhiteSpace(qualifier))
        {
            return [];
        }

        var result = new List<int>();
        for (var i = 0; i < imports.Count; i++)
        {
            var import = imports[i];
            if (import.Alias == qualifier || (import.Alias is null && (import.Module == qualifier || ModulePaths.LastSegment(import.Module) == qualifier)))
            {
                result.Add(i);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// CGR: an empty list has no element type and older servers refuse to store one; an absent property reads back as
    /// null, which the queries and readers treat as empty.
    /// </summary>
    public static T[]? NullIfEmpty<T>(T[] values) => values.Length == 0 ? null : values;

    /// <summary>Splits rows into batches of at most <paramref name="size"/>; an empty list gives one empty batch.</summary>
    public static List<List<T>> Batches<T>(IReadOnlyList<T> rows, int size)
    {
        var result = new List<List<T>>();
        for (var i = 0; i < rows.Count; i += size)
        {
            result.Add([.. rows.Skip(i).Take(size)]);
        }

        if (result.Count == 0)
        {
            result.Add([]);
        }

        return result;
    }
}
