namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>What a prepared model is compiled for.</summary>
public enum ModelPrecision
{
    /// <summary>The source model's fp32 weights; only pooling and normalisation are added to the graph.</summary>
    Fp32,

    /// <summary>
    /// Weight matrices of the dense layers stored as int8 with one scale per output column, activations quantized to
    /// uint8 at run time (dynamic quantization); ONNX Runtime runs them as integer matrix products (VNNI where the CPU
    /// has it). LayerNorm, Softmax, GELU, attention products and pooling stay fp32.
    /// </summary>
    Int8,

    /// <summary>
    /// For CUDA: fp16 weights and activations, each self-attention fused into ONNX Runtime's <c>MultiHeadAttention</c>
    /// (its fused kernels keep the softmax in fp32) and each layer normalisation into <c>LayerNormalization</c> (mean and
    /// variance in fp32); pooling and the norm run in fp32 on the cast token states.
    /// </summary>
    Fp16,
}

/// <summary>A compilation target: the precision and the pooling added to the graph.</summary>
/// <param name="Precision">Weight and activation precision.</param>
/// <param name="Pooling">How token vectors become the text vector inside the graph.</param>
public sealed record ModelTarget(ModelPrecision Precision, EmbeddingPooling Pooling)
{
    /// <summary>A file-name-safe name, e.g. <c>int8-cls</c>.</summary>
    public string Name => $"{Precision.ToString().ToLowerInvariant()}-{Pooling.ToString().ToLowerInvariant()}";
}
