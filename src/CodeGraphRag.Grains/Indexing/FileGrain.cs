using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Telemetry;
using CodeGraphRag.Parsing.Classification;
using CodeGraphRag.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Indexing;

/// <summary>
/// One file of one repository. Idempotent: a call whose content hash and pipeline version match the stored
/// manifest entry does nothing; otherwise the file is parsed, chunked, redacted and written in one
/// <see cref="IIndexWriter.ApplyFileAsync"/> with the vectors of the chunks whose embedding key is new: from the embedding
/// cache only when <see cref="IndexingOptions.DeferEmbedding"/> holds (the repository grain embeds the rest once every
/// file is written, so the file is searchable lexically and through the graph first), otherwise embedded here.
/// </summary>
public sealed partial class FileGrain(
    ICodeParser parser,
    ISecretRedactor redactor,
    IRepositoryCatalog catalog,
    IIndexWriter writer,
    IEmbeddingCache cache,
    EmbeddingModelCache models,
    IOptions<IndexingOptions> options,
    IOptions<EmbeddingCallOptions> embeddingCalls,
    TimeProvider time,
    ILogger<FileGrain> logger) : Grain, IFileGrain
{
    async Task<FileOutcome> IFileGrain.ProcessAsync(FileWorkItem item, CancellationToken cancellationToken)
    {
        var (repository, path) = GrainKeys.ParseFile(this.GetPrimaryKeyString());
        var existing = await catalog.GetFileAsync(repository, path, cancellationToken);
        if (existing is { Status: FileStatus.Indexed } && existing.ContentHash == item.ContentHash && existing.PipelineVersion == item.PipelineVersion)
        {
            PipelineMetrics.FileProcessed("unchanged", 0);
            return new FileOutcome(FileStatus.Indexed, null, Unchanged: true, existing.ChunkCount, 0, 0, 0);
        }

        if (!TextDecoder.TryDecode(item.Content, out var text, out var decodeError))
        {
            await RecordFailureAsync(repository, path, item, decodeError ?? "undecodable text", cancellationToken);
            return new FileOutcome(FileStatus.Failed, decodeError, false, 0, 0, 0, 0);
        }

        // Redact before anything else sees the text: parser, chunker, embedder and every store get the redacted copy.
        // A redactor failure (e.g. a regex timeout) fails the file: it is never stored unscanned.
        RedactionResult redaction;
        ParsedFile parsed;
        FileClass fileClass;
        try
        {
            redaction = redactor.Redact(text);
            parsed = parser.Parse(path, redaction.Text, cancellationToken);
            fileClass = FileClassifier.Classify(path, parsed.Language, redaction.Text);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogParseFailed(logger, repository, path, ex);
            await RecordFailureAsync(repository, path, item, $"{ex.GetType().Name}: {ex.Message}", cancellationToken);
            return new FileOutcome(FileStatus.Failed, ex.Message, false, 0, 0, 0, 0);
        }

        var built = ChunkRecordBuilder.Build(repository, path, parsed, fileClass);
        var storedKeys = await writer.GetEmbeddingKeysAsync(repository, path, cancellationToken);
        var needed = built.Chunks
            .Where(c => !storedKeys.TryGetValue(c.Id, out var key) || key != c.EmbeddingKey)
            .ToList();

        var model = await models.GetAsync();
        var embedding = new DocumentEmbedding(GrainFactory, cache, embeddingCalls.Value, time);
        var neededKeys = needed.Select(c => c.EmbeddingKey).Distinct(StringComparer.Ordinal).ToList();
        var deferred = options.Value.DeferEmbedding && writer.SupportsPendingVectors;
        IReadOnlyDictionary<string, float[]> vectorsByKey;
        var embedded = 0;
        if (neededKeys.Count == 0)
        {
            vectorsByKey = new Dictionary<string, float[]>();
        }
        else if (deferred)
        {
            // CGR: written now with what the cache holds; the repository grain embeds the rest after every file is written.
            vectorsByKey = await embedding.CachedAsync(model.Id, neededKeys, cancellationToken);
        }
        else
        {
            (var all, embedded) = await embedding.EmbedAsync(
                model.Id, neededKeys.ToDictionary(k => k, k => built.EmbeddingTexts[k], StringComparer.Ordinal), options.Value.EmbedRequestSize, 1, cancellationToken);
            vectorsByKey = all;
        }

        var vectors = needed.Where(c => vectorsByKey.ContainsKey(c.EmbeddingKey)).ToDictionary(c => c.Id, c => vectorsByKey[c.EmbeddingKey], StringComparer.Ordinal);
        var record = new FileRecord(repository, path, parsed.Language, item.ContentHash, item.Content.Length,
            item.PipelineVersion, FileStatus.Indexed, parsed.SyntaxErrors > 0 ? $"{parsed.SyntaxErrors} syntax error region(s)" : null,
            built.Chunks.Count, fileClass);
        await writer.ApplyFileAsync(new FileUpdate(record, built.Chunks, vectors, built.Graph, VectorsFollow: deferred), cancellationToken);
        PipelineMetrics.FileProcessed("indexed", needed.Count);
        return new FileOutcome(FileStatus.Indexed, null, false, built.Chunks.Count, needed.Count, embedded, redaction.Findings.Count);
    }

    private Task RecordFailureAsync(string repository, string path, FileWorkItem item, string reason, CancellationToken cancellationToken)
    {
        PipelineMetrics.FileProcessed("failed", 0);
        // CGR: a failed file keeps no chunks (its content is unknown), and is retried by every sync.
        var record = new FileRecord(repository, path, null, item.ContentHash, item.Content.Length, item.PipelineVersion,
            FileStatus.Failed, reason, 0, FileClassifier.Classify(path, null));
        return writer.ApplyFileAsync(FileUpdate.RecordOnly(record), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parsing {Repository}/{Path} failed")]
    private static partial void LogParseFailed(ILogger logger, string repository, string path, Exception exception);
}
