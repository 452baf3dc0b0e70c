using CodeGraphRag.Embeddings.Internals;

namespace CodeGraphRag.Embeddings;

/// <summary>Settings of the ONNX Runtime embedder, bound from <c>CodeGraphRag:Embedding</c>.</summary>
public sealed class OnnxEmbeddingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = Constants.ConfigSection;

    /// <summary>
    /// <c>arctic-xs</c> (default: snowflake-arctic-embed-xs, CLS pooling, query prefix), <c>minilm</c>
    /// (all-MiniLM-L6-v2, mean pooling), or <c>path</c> (any BERT-style ONNX file: set <see cref="ModelPath"/>,
    /// <see cref="VocabPath"/> and <see cref="Pooling"/>).
    /// </summary>
    public string Model { get; set; } = Constants.ModelArcticXs;

    /// <summary>ONNX file for <c>Model=path</c>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>WordPiece vocab.txt for <c>Model=path</c>.</summary>
    public string? VocabPath { get; set; }

    /// <summary>Pooling; required for <c>Model=path</c>, otherwise the bundled model's own.</summary>
    public EmbeddingPooling? Pooling { get; set; }

    /// <summary>Text put before queries (never documents); null takes the model's default, empty means none.</summary>
    public string? QueryPrefix { get; set; }

    /// <summary>Lower-case input before WordPiece (uncased models); default true.</summary>
    public bool Lowercase { get; set; } = true;

    /// <summary>Explicit model id for <c>Model=path</c>; by default built from the file name, size and pooling.</summary>
    public string? ModelId { get; set; }

    /// <summary>Tokens per text, [CLS] and [SEP] included; longer texts are truncated. Default 512.</summary>
    public int MaxTokens { get; set; } = Constants.BertWindow;

    /// <summary>
    /// Texts per inference call. Null (default) picks by device: 8 on the CPU (fastest measured on a 2-core AVX-512
    /// CPU), 64 on CUDA (fastest measured on an H200, see docs/benchmarks.md).
    /// </summary>
    public int? BatchSize { get; set; }

    /// <summary>The batch size in effect: <see cref="BatchSize"/>, or the device's default when it is null.</summary>
    public int EffectiveBatchSize => BatchSize ?? (UsesCuda ? Constants.CudaBatchSize : Constants.CpuBatchSize);

    /// <summary>
    /// Padded tokens per inference call (texts x the longest text of the batch): batches of long texts hold fewer
    /// texts, so that <see cref="BatchSize"/> can be large for short ones without a batch of long ones outgrowing GPU
    /// memory. Null (default) picks by device: none on the CPU (batches are small), 16,384 on CUDA. A text longer than
    /// the bound runs alone.
    /// </summary>
    public int? BatchTokens { get; set; }

    /// <summary>The token bound in effect: <see cref="BatchTokens"/>, or the device's default (null: none).</summary>
    public int? EffectiveBatchTokens => BatchTokens ?? (UsesCuda ? Constants.CudaBatchTokens : null);

    /// <summary>True when <see cref="Device"/> names a CUDA device (<c>cuda</c> or <c>cuda:N</c>).</summary>
    public bool UsesCuda => DeviceSpec.TryParse(Device, out var device) && device.IsCuda;

    /// <summary>ONNX Runtime intra-op threads; null means <see cref="Environment.ProcessorCount"/>.</summary>
    public int? IntraOpThreads { get; set; }

    /// <summary><c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>; CUDA needs the cuda build flavour.</summary>
    public string Device { get; set; } = Constants.DeviceCpu;

    /// <summary>
    /// <c>fp32</c> (default: the model's own weights), <c>int8</c> (dense layers quantized to int8 by the model compiler;
    /// about twice as fast on CPUs with an int8 dot product, VNNI on x86; vectors slightly different, so the model id
    /// changes and vectors are not mixed), <c>fp16</c> (CUDA only: fp16 weights and activations, fused attention and
    /// layer normalisation; its own model id as well), or <c>auto</c>: fp16 on CUDA, int8 on a CPU with an int8 dot
    /// product, fp32 on other CPUs.
    /// </summary>
    public string Precision { get; set; } = Constants.PrecisionFp32;

    /// <summary>
    /// The precision the model runs at on <see cref="Device"/>: <see cref="Precision"/> with <c>auto</c> resolved
    /// (<c>fp32</c>, <c>int8</c> or <c>fp16</c>); the setting itself when it is not valid.
    /// </summary>
    public string EffectivePrecision => PrecisionChoice.IsKnown(Precision) && DeviceSpec.TryParse(Device, out var device)
        ? PrecisionChoice.Name(PrecisionChoice.Resolve(Precision, device))
        : Precision;

    /// <summary>A copy of these options with <see cref="Precision"/> set to <paramref name="precision"/> (to run precisions side by side).</summary>
    public OnnxEmbeddingOptions WithPrecision(string precision)
    {
        var copy = (OnnxEmbeddingOptions)MemberwiseClone();
        copy.Precision = precision;
        return copy;
    }

    /// <summary>One line for status output: the precision in effect and, for <c>auto</c>, why.</summary>
    public string DescribePrecision() =>
        PrecisionChoice.IsKnown(Precision) && !string.Equals(Precision.Trim(), EffectivePrecision, StringComparison.OrdinalIgnoreCase)
            ? $"{EffectivePrecision} (Precision={Precision.Trim()}: {(UsesCuda ? "CUDA runs fp16" : PrecisionChoice.CpuHasInt8DotProduct ? "this CPU has an int8 dot product" : "this CPU has no int8 dot product")})"
            : EffectivePrecision;

    /// <summary>
    /// Where prepared (compiled) models are kept between starts; null compiles at every start. Hosts set it to
    /// <c>&lt;data directory&gt;/models</c>.
    /// </summary>
    public string? PreparedModelDirectory { get; set; }

    /// <summary>Texts that may wait for the model before callers are held back. Default 1024.</summary>
    public int MaxQueue { get; set; } = 1024;

    /// <summary>How long a part-filled batch waits for texts from other callers. Default 2 ms.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(2);
}
