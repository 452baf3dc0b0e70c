using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Dynamic int8 quantization of the dense layers: every <c>MatMul</c> whose right operand is a 2-D fp32 weight becomes
/// <c>DynamicQuantizeLinear</c> (the activation, uint8, one scale per tensor, shared by the MatMuls that read the same
/// activation) → <c>MatMulInteger</c> (int8 weights, symmetric, one scale per output column) → <c>Cast</c> → <c>Mul</c>
/// by the product of the two scales. ONNX Runtime fuses that pattern into <c>MatMulIntegerToFloat</c>/
/// <c>DynamicQuantizeMatMul</c>. MatMuls of two activations (attention) and every other op stay fp32.
/// </summary>
internal static class Int8Rewrite
{
    /// <summary>Rewrites the graph in place; returns how many MatMuls were quantized.</summary>
    public static int Apply(GraphEditor editor)
    {
        var graph = editor.Graph;
        var weights = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var quantizedActivations = new Dictionary<string, (string Value, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var rewritten = new List<NodeProto>(graph.Node.Count + 64);
        var count = 0;
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length > 0 || node.Input.Count != 2
                || !weights.TryGetValue(node.Input[1], out var weight) || weight.DataType != GraphEditor.Float)
            {
                rewritten.Add(node);
                continue;
            }

            if (weight.Dims.Count != 2)
            {
                throw new ModelCompilationException(
                    $"int8: MatMul '{node.Name}' has a weight '{weight.Name}' of rank {weight.Dims.Count}; only 2-D weights are quantized");
            }

            var activation = node.Input[0];
            if (!quantizedActivations.TryGetValue(activation, out var quantized))
            {
                quantized = (editor.Fresh(activation + "/q"), editor.Fresh(activation + "/q_scale"), editor.Fresh(activation + "/q_zero"));
                rewritten.Add(editor.Node("DynamicQuantizeLinear", [activation], [quantized.Value, quantized.Scale, quantized.ZeroPoint]));
                quantizedActivations[activation] = quantized;
            }

            var (values, scales) = QuantizeColumns(weight);
            var columns = weight.Dims[1];
            var weightQ = editor.Initializer(weight.Name + "/int8", GraphEditor.Int8, [weight.Dims[0], columns], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            var weightScale = editor.FloatInitializer(weight.Name + "/scale", [columns], scales);
            var product = editor.Fresh(node.Output[0] + "/int32");
            var asFloat = editor.Fresh(node.Output[0] + "/unscaled");
            var scale = editor.Fresh(node.Output[0] + "/scale");
            rewritten.Add(editor.Node("MatMulInteger", [quantized.Value, weightQ, quantized.ZeroPoint], [product]));
            rewritten.Add(editor.Node("Cast", [product], [asFloat], GraphEditor.Int("to", GraphEditor.Float)));
            rewritten.Add(editor.Node("Mul", [quantized.Scale, weightScale], [scale]));
            rewritten.Add(editor.Node("Mul", [asFloat, scale], [node.Output[0]]));
            count++;
        }

        if (count == 0)
        {
            throw new ModelCompilationException("int8: the graph has no MatMul with a 2-D float weight to quantize");
        }

        graph.Node.Clear();
        graph.Node.AddRange(rewritten);

        // The fp32 weights no node reads any more.
        var read = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        var kept = graph.Initializer.Where(i => read.Contains(i.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        return count;
    }

    /// <summary>Symmetric per-column int8: scale = max |w| / 127 per column, values rounded and clamped to ±127.</summary>
    internal static (sbyte[] Values, float[] Scales) QuantizeColumns(TensorProto weight)
    {
        var data = GraphEditor.FloatValues(weight);
        var rows = checked((int)weight.Dims[0]);
        var columns = checked((int)weight.Dims[1]);
        if (data.Length != rows * columns)
        {
            throw new ModelCompilationException($"int8: weight '{weight.Name}' holds {data.Length} values for shape [{rows}, {columns}]");
        }

        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(data[(r * columns) + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var values = new sbyte[data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                values[i] = (sbyte)Math.Clamp(MathF.Round(data[i] / scales[c], MidpointRounding.ToEven), -127f, 127f);
            }
        }

        return (values, scales);
    }
}
