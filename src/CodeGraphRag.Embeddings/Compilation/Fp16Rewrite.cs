using Google.Protobuf;
using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Turns every fp32 tensor of the graph into fp16: initializers, <c>Constant</c> values, <c>Cast</c> targets and the
/// declared types of values and outputs. Runs after <see cref="AttentionRewrite"/> and <see cref="LayerNormRewrite"/>,
/// whose fused ops keep the parts that need fp32 in fp32 inside their kernels (softmax, mean and variance); the pooling
/// added afterwards casts the token states back to fp32, so the vector that leaves the graph is fp32.
/// </summary>
internal static class Fp16Rewrite
{
    /// <summary>Ops whose fp16 form would lose what fp32 keeps; they must have been fused away first.</summary>
    private static readonly string[] MustBeFused = ["Softmax", "Pow", "Sqrt", "ReduceMean"];

    /// <summary>Rewrites the graph in place; returns how many initializers became fp16.</summary>
    public static int Apply(GraphEditor editor)
    {
        var graph = editor.Graph;
        var unfused = graph.Node.FirstOrDefault(n => n.Domain.Length == 0 && MustBeFused.Contains(n.OpType));
        if (unfused is not null)
        {
            throw new ModelCompilationException(
                $"fp16: {unfused.OpType} '{unfused.Name}' was not fused into an attention or layer-normalisation op; in fp16 it would overflow or lose its epsilon");
        }

        var input = graph.Input.FirstOrDefault(i => i.Type?.TensorType?.ElemType == GraphEditor.Float);
        if (input is not null)
        {
            throw new ModelCompilationException($"fp16: graph input '{input.Name}' is fp32; only integer inputs (token ids, masks) are supported");
        }

        var converted = 0;
        foreach (var tensor in graph.Initializer.Where(t => t.DataType == GraphEditor.Float))
        {
            ToHalf(tensor);
            converted++;
        }

        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is { DataType: GraphEditor.Float } value)
                {
                    ToHalf(value);
                }

                if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == GraphEditor.Float)
                {
                    attribute.I = GraphEditor.Float16;
                }
            }
        }

        foreach (var info in graph.ValueInfo.Concat(graph.Output))
        {
            if (info.Type?.TensorType is { ElemType: GraphEditor.Float } tensorType)
            {
                tensorType.ElemType = GraphEditor.Float16;
            }
        }

        return converted;
    }

    /// <summary>Rewrites an fp32 tensor as fp16 (raw little-endian halves); a value beyond fp16's range stops the compile.</summary>
    internal static void ToHalf(TensorProto tensor)
    {
        var values = GraphEditor.FloatValues(tensor);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
            if (Half.IsInfinity(halves[i]) && float.IsFinite(values[i]))
            {
                throw new ModelCompilationException($"fp16: '{tensor.Name}' holds {values[i]:G6}, beyond fp16's range (±65504)");
            }
        }

        tensor.FloatData.Clear();
        tensor.DataType = GraphEditor.Float16;
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
    }
}
