namespace CodeGraphRag.Storage.Milvus;

/// <summary>Names shared by the Milvus backend: configuration, HTTP client, collection fields and limits.</summary>
internal static class Constants
{
    public const string ConfigurationSection = "CodeGraphRag:Storage:Milvus";
    public const string HttpClientName = "CodeGraphRag.Milvus";
    public const string ResiliencePipelineName = "milvus";
    public const string ApiPrefix = "v2/vectordb/";

    // Field names of the one chunk collection.
    public const string FieldId = "chunk_id";
    public const string FieldRepository = "repo";
    public const string FieldPath = "path";
    public const string FieldLanguage = "language";
    public const string FieldSymbolPath = "symbol_path";
    public const string FieldKind = "kind";
    public const string FieldStartLine = "start_line";
    public const string FieldEndLine = "end_line";
    public const string FieldText = "text";
    public const string FieldTextDeflated = "text_deflated";
    public const string FieldContentHash = "content_hash";
    public const string FieldEmbeddingKey = "embedding_key";
    public const string FieldSignature = "signature";
    public const string FieldClass = "file_class";
    public const string FieldLexicalText = "lexical_text";
    public const string FieldSparse = "sparse";
    public const string FieldEmbedding = "embedding";
    public const string Bm25FunctionName = "lexical_bm25";

    /// <summary>Milvus' largest VarChar (bytes of UTF-8).</summary>
    public const int MaxVarCharBytes = 65_535;

    /// <summary>Largest <c>limit</c> and <c>offset + limit</c> of a search or query.</summary>
    public const int MaxTopK = 16_384;

    /// <summary>Ids (or paths) per <c>in [...]</c> filter, keeping expressions far below request limits.</summary>
    public const int MaxTermsPerFilter = 1_000;

    /// <summary>Rows per query that returns vectors.</summary>
    public const int VectorFetchBatch = 256;

    /// <summary>The output field of a counting query (the server then ignores any limit).</summary>
    public const string CountAll = "count(*)";

    public const string LoadStateLoaded = "LoadStateLoaded";
    public const string DescriptionPrefix = "CodeGraphRag chunks; model=";
}
