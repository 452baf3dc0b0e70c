using System.Text;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Query;

namespace CodeGraphRag.Grains.Indexing;

/// <summary>Turns parsed chunk drafts into content-addressed records plus the text to embed.</summary>
/// <remarks>
/// The file grain redacts the whole file before parsing (secrets that span chunk boundaries are still caught and
/// line numbers are kept), so every text reaching this builder is already redacted.
/// </remarks>
public static class ChunkRecordBuilder
{
    /// <summary>Builds the records of one parsed, redacted file whose class is <paramref name="fileClass"/>.</summary>
    public static BuiltFile Build(string repository, string path, ParsedFile parsed, FileClass fileClass = FileClass.Code)
    {
        var records = new List<ChunkRecord>(parsed.Chunks.Count);
        var embedTexts = new Dictionary<string, string>(parsed.Chunks.Count, StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var draft in parsed.Chunks)
        {
            var text = draft.Text;
            var signature = draft.Signature;
            var contentHash = ChunkIds.Hash(text);
            occurrences.TryGetValue(contentHash, out var occurrence);
            occurrences[contentHash] = occurrence + 1;
            var id = ChunkIds.ChunkId(repository, path, contentHash, occurrence);

            var embedText = EmbeddingText(path, draft.SymbolPath, signature, text);
            var embeddingKey = ChunkIds.Hash(embedText);
            var lexical = LexicalAnalyzer.ToLexicalText(string.Concat(path, " ", draft.SymbolPath, " ", text));
            records.Add(new ChunkRecord(id, repository, path, parsed.Language, draft.SymbolPath, draft.Kind,
                draft.StartLine, draft.EndLine, text, contentHash, embeddingKey, lexical, signature, fileClass));
            embedTexts[embeddingKey] = embedText;
        }

        var graph = new FileGraph(parsed.Symbols, parsed.Calls, parsed.Imports, parsed.Inheritance);
        return new BuiltFile(records, embedTexts, graph);
    }

    /// <summary>
    /// The "metadata + code" text that is embedded: path, symbol and signature as a header, then the code.
    /// </summary>
    public static string EmbeddingText(string path, string symbolPath, string? signature, string text)
    {
        var sb = new StringBuilder(text.Length + path.Length + 64);
        sb.Append(path);
        if (symbolPath.Length > 0)
        {
            sb.Append(" :: ").Append(symbolPath);
        }

        sb.Append('\n');
        if (!string.IsNullOrWhiteSpace(signature) && !text.Contains(signature, StringComparison.Ordinal))
        {
            sb.Append(signature).Append('\n');
        }

        sb.Append(text);
        return sb.ToString();
    }

}

/// <summary>One file's records, keyed texts to embed and graph facts.</summary>
/// <param name="Chunks">Records in source order.</param>
/// <param name="EmbeddingTexts">Embedding key to the exact text to embed.</param>
/// <param name="Graph">Graph facts.</param>
public sealed record BuiltFile(
    IReadOnlyList<ChunkRecord> Chunks,
    IReadOnlyDictionary<string, string> EmbeddingTexts,
    FileGraph Graph);
