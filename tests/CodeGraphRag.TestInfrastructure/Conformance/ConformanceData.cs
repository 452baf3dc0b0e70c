using System.Text;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>Builders for deterministic chunks, vectors and file updates used by the conformance suites.</summary>
public static class ConformanceData
{
    /// <summary>Vector length every backend under test must be configured with.</summary>
    public const int Dimensions = 16;

    /// <summary>A chunk of <paramref name="text"/>; the lexical text is the lower-cased words of the text.</summary>
    public static ChunkRecord Chunk(
        string repository, string path, string text, int occurrence = 0, string symbolPath = "", string language = "python",
        int startLine = 1, string? embeddingSalt = null)
    {
        var contentHash = ChunkIds.Hash(text);
        var lineCount = text.Count(c => c == '\n') + 1;
        return new ChunkRecord(
            ChunkIds.ChunkId(repository, path, contentHash, occurrence),
            repository,
            path,
            language,
            symbolPath,
            symbolPath.Length == 0 ? ChunkKind.TopLevel : ChunkKind.Function,
            startLine,
            startLine + lineCount - 1,
            text,
            contentHash,
            ChunkIds.Hash(path + "\n" + symbolPath + "\n" + text + (embeddingSalt ?? string.Empty)),
            Lexical(text),
            null);
    }

    /// <summary>Lower-cased words of <paramref name="text"/> separated by spaces (a stand-in for the real identifier splitter).</summary>
    public static string Lexical(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            builder.Append(char.IsLetterOrDigit(ch) || ch == '_' ? char.ToLowerInvariant(ch) : ' ');
        }

        return builder.ToString();
    }

    /// <summary>A deterministic unit vector derived from <paramref name="seedText"/>.</summary>
    public static float[] Vector(string seedText, int dimensions = Dimensions)
    {
        var random = new Random(StableSeed(seedText));
        var vector = new float[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    /// <summary>The vector a chunk gets in these suites: derived from its embedding key.</summary>
    public static float[] VectorOf(ChunkRecord chunk) => Vector(chunk.EmbeddingKey);

    /// <summary>A file update with vectors for every chunk (or only for <paramref name="vectorsFor"/>).</summary>
    public static FileUpdate Update(
        string repository, string path, IReadOnlyList<ChunkRecord> chunks, FileGraph? graph = null, IEnumerable<ChunkRecord>? vectorsFor = null,
        string language = "python")
    {
        var vectors = (vectorsFor ?? chunks).ToDictionary(c => c.Id, VectorOf);
        var file = new FileRecord(repository, path, language, ChunkIds.Hash(string.Join("\n", chunks.Select(c => c.Text))), 100, "p1", FileStatus.Indexed, null, chunks.Count);
        return new FileUpdate(file, chunks, vectors, graph ?? FileGraph.Empty);
    }

    /// <summary>Chunks for several texts of one file, one per text, with distinct lines.</summary>
    public static List<ChunkRecord> Chunks(string repository, string path, params string[] texts)
    {
        var result = new List<ChunkRecord>();
        var occurrences = new Dictionary<string, int>();
        var line = 1;
        foreach (var text in texts)
        {
            occurrences[text] = occurrences.TryGetValue(text, out var n) ? n + 1 : 0;
            result.Add(Chunk(repository, path, text, occurrences[text], startLine: line));
            line += 10;
        }

        return result;
    }

    /// <summary>A symbol row.</summary>
    public static SymbolInfo Symbol(string qualifiedName, SymbolKind kind, int start = 1, int end = 5, string? parent = null)
    {
        var dot = qualifiedName.LastIndexOf('.');
        return new SymbolInfo(qualifiedName, dot < 0 ? qualifiedName : qualifiedName[(dot + 1)..], kind, start, end, parent, null);
    }

    /// <summary>A graph-only file update (no chunks).</summary>
    public static FileUpdate GraphFile(string repository, string path, FileGraph graph, string language = "python") =>
        Update(repository, path, [], graph, null, language);

    private static int StableSeed(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var ch in text)
            {
                hash = (hash ^ ch) * 16777619;
            }

            return hash;
        }
    }
}
