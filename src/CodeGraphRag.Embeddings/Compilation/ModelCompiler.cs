using Google.Protobuf;
using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Rewrites a BERT-style encoder's ONNX graph for a <see cref="ModelTarget"/>: pooling and normalisation inside the graph
/// for every target, int8 dense layers for <see cref="ModelPrecision.Int8"/>, and for <see cref="ModelPrecision.Fp16"/> fused
/// attention and layer normalisation in an fp16 graph. Pure: bytes in, bytes out.
/// </summary>
public static class ModelCompiler
{
    /// <summary>Changes whenever a rewrite changes what it writes; part of every prepared model's key.</summary>
    public const int Version = 1;

    /// <summary>The oldest default-domain opset a source model may import.</summary>
    public const int MinOpset = 11;

    /// <summary>The newest default-domain opset a source model may import.</summary>
    public const int MaxOpset = 21;

    /// <summary>The prepared model's only output: unit vectors, [batch, hidden].</summary>
    public const string OutputName = PoolingRewrite.OutputName;

    /// <summary>Compiles <paramref name="source"/> (an ONNX model) for <paramref name="target"/>.</summary>
    /// <exception cref="ModelCompilationException">A rewrite did not match the graph (the message names where).</exception>
    public static byte[] Compile(ReadOnlySpan<byte> source, ModelTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!BitConverter.IsLittleEndian)
        {
            throw new ModelCompilationException("the model compiler reads ONNX raw tensor data as little-endian and needs a little-endian CPU");
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(source);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelCompilationException($"the source is not an ONNX model: {ex.Message}", ex);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new ModelCompilationException("the source ONNX model has no graph");
        }

        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0 || o.Domain == "ai.onnx")?.Version ?? 0;
        if (opset is < MinOpset or > MaxOpset)
        {
            // DynamicQuantizeLinear needs 11; the ops written are checked against the opsets up to MaxOpset.
            throw new ModelCompilationException($"the source model imports ONNX opset {opset}; the model compiler supports opsets {MinOpset} to {MaxOpset}");
        }

        var editor = new GraphEditor(model.Graph, opset);
        if (target.Precision == ModelPrecision.Int8)
        {
            Int8Rewrite.Apply(editor);
        }
        else if (target.Precision == ModelPrecision.Fp16)
        {
            AttentionRewrite.Apply(editor, model);
            LayerNormRewrite.Apply(editor);
            Fp16Rewrite.Apply(editor);
        }

        PoolingRewrite.Apply(editor, target.Pooling);
        model.ProducerName = "codegraphrag-model-compiler";
        model.ProducerVersion = Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        model.DocString = $"prepared for {target.Name}";
        return model.ToByteArray();
    }
}
