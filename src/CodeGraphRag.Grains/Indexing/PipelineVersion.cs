using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Parsing.Classification;

namespace CodeGraphRag.Grains.Indexing;

/// <summary>
/// The version stored with every file: parser + chunker rules of its language, secret rules, embedding model and
/// the way chunks are turned into stored records. A change makes the next sync reprocess exactly the affected files.
/// </summary>
public sealed class PipelineVersion(ICodeParser parser, ISecretRedactor redactor, ILanguageRegistry languages)
{
    /// <summary>Bump when <see cref="ChunkRecordBuilder"/> changes what it stores or embeds.</summary>
    public const string RecordFormat = "records-2";

    /// <summary>The version for the file at <paramref name="path"/> when embedding with <paramref name="modelId"/>.</summary>
    public string For(string path, string modelId)
    {
        // CGR: recomputed per file (a hash of a short string) so a parser whose rules change at run time is noticed.
        var language = languages.Detect(path) ?? "text";
        var material = string.Join('|', parser.GetVersion(language), redactor.Version, modelId, RecordFormat, FileClassifier.Version);
        return ChunkIds.Hash(material)[..16];
    }
}
