using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Replaces each BERT self-attention subgraph with ONNX Runtime's contrib <c>MultiHeadAttention</c> op, so that the CUDA
/// provider runs its fused attention kernels instead of two batched products, a softmax and four transposes per layer.
/// </summary>
/// <remarks>
/// The subgraph matched is the one PyTorch's exporter writes for BERT-style encoders:
/// <c>Softmax(Add(Div(MatMul(Transpose₀₂₁₃(Reshape(q)), Transpose₀₂₃₁(Reshape(k))), c), mask))</c>, multiplied by
/// <c>Transpose₀₂₁₃(Reshape(v))</c>, transposed back and reshaped to [batch, sequence, hidden]. The additive mask is
/// replaced by each text's key length (the number of ones in <c>attention_mask</c>, as int32 [batch]): ONNX Runtime's
/// one-dimensional key padding mask, which its fused CUDA kernel accepts (a two-dimensional mask sends it to the unfused
/// path). That is exact for right-padded batches, the only kind <c>OnnxBertSession</c> builds: each text's tokens
/// first, padding after. Every Softmax must match; one that does not stops the compile with its name.
/// </remarks>
internal static class AttentionRewrite
{
    /// <summary>The value holding each text's key length.</summary>
    public const string KeyLengths = "cgr/key_lengths";

    /// <summary>Rewrites the graph in place; returns how many attention subgraphs became MultiHeadAttention.</summary>
    public static int Apply(GraphEditor editor, ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = editor.Graph;
        if (!graph.Input.Any(i => i.Name == Constants.AttentionMask))
        {
            throw new ModelCompilationException($"attention: the graph has no input '{Constants.AttentionMask}' to derive key lengths from");
        }

        var producers = editor.Producers();
        var consumers = editor.Consumers();
        var softmaxes = graph.Node.Where(n => n.OpType == "Softmax" && n.Domain.Length == 0).ToList();
        if (softmaxes.Count == 0)
        {
            throw new ModelCompilationException("attention: the graph has no Softmax node, so no self-attention to fuse");
        }

        // The final Reshape of each layer's attention becomes the MultiHeadAttention node, in the same place.
        var replaced = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var softmax in softmaxes)
        {
            var match = Match(editor, softmax, producers, consumers);
            var attention = editor.Node(
                "MultiHeadAttention",
                [match.Query, match.Key, match.Value, string.Empty, KeyLengths],
                [match.Output],
                GraphEditor.Int("num_heads", match.Heads),
                new AttributeProto { Name = "scale", Type = AttributeProto.Types.AttributeType.Float, F = match.Scale });
            attention.Domain = GraphEditor.MicrosoftDomain;
            replaced[match.Merge] = attention;
        }

        // key_lengths = int32(ReduceSum(attention_mask, axis 1)), computed once at the start of the graph.
        var sum = editor.Fresh("cgr/mask_sum");
        var lengthNodes = new[]
        {
            editor.Reduce("ReduceSum", Constants.AttentionMask, sum, 1, keepDims: false, axesInputFrom: 13),
            editor.Node("Cast", [sum], [KeyLengths], GraphEditor.Int("to", GraphEditor.Int32)),
        };
        var rewritten = new List<NodeProto>(graph.Node.Count + 2);
        rewritten.AddRange(lengthNodes);
        rewritten.AddRange(graph.Node.Select(n => replaced.TryGetValue(n, out var attention) ? attention : n));
        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        GraphEditor.ImportDomain(model, GraphEditor.MicrosoftDomain, 1);
        editor.Prune();
        return replaced.Count;
    }

    private static Matched Match(GraphEditor editor, NodeProto softmax, Dictionary<string, NodeProto> producers, Dictionary<string, List<NodeProto>> consumers)
    {
        var where = $"Softmax '{softmax.Name}'";
        var axis = softmax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? -1;
        if (axis is not (3 or -1))
        {
            throw Refuse(where, $"normalises axis {axis}, not the last of [batch, heads, sequence, sequence]");
        }

        // Scores: Add(scaled, mask) in either order, scaled = Div(MatMul, c) or Mul(MatMul, c).
        var add = Producer(producers, softmax.Input[0], "Add", where, "its input");
        NodeProto? scaled = null;
        string? maskTerm = null;
        foreach (var (candidate, other) in new[] { (add.Input[0], add.Input[1]), (add.Input[1], add.Input[0]) })
        {
            if (producers.TryGetValue(candidate, out var node) && node.OpType is "Div" or "Mul" && node.Domain.Length == 0
                && producers.TryGetValue(node.Input[0], out var product) && product.OpType == "MatMul")
            {
                scaled = node;
                maskTerm = other;
                break;
            }
        }

        if (scaled is null || maskTerm is null)
        {
            throw Refuse(where, $"its scores '{add.Name}' are not Add(Div or Mul of a MatMul by a constant, mask)");
        }

        var constant = editor.ConstantTensor(scaled.Input[1], producers);
        if (constant is null || constant.DataType != GraphEditor.Float || GraphEditor.FloatValues(constant) is not [var factor] || !float.IsFinite(factor) || factor == 0)
        {
            throw Refuse(where, $"'{scaled.Name}' does not scale the scores by one finite non-zero float constant");
        }

        var scale = scaled.OpType == "Div" ? 1f / factor : factor;
        CheckMaskTerm(editor, maskTerm, producers, where);

        var scores = producers[scaled.Input[0]];
        var query = HeadsOf(editor, producers, scores.Input[0], [0, 2, 1, 3], where, "query");
        var key = HeadsOf(editor, producers, scores.Input[1], [0, 2, 3, 1], where, "key");

        // Context: MatMul(probabilities, Transpose0213(Reshape(v))) -> Transpose0213 -> Reshape to [batch, sequence, hidden].
        var context = OnlyConsumer(consumers, softmax.Output[0], "MatMul", where, "its probabilities");
        if (context.Input[0] != softmax.Output[0])
        {
            throw Refuse(where, $"'{context.Name}' does not multiply the probabilities from the left");
        }

        var value = HeadsOf(editor, producers, context.Input[1], [0, 2, 1, 3], where, "value");
        var back = OnlyConsumer(consumers, context.Output[0], "Transpose", where, $"the context '{context.Name}'");
        if (!Perm(back).SequenceEqual([0L, 2, 1, 3]))
        {
            throw Refuse(where, $"'{back.Name}' does not transpose the heads back (perm [0, 2, 1, 3])");
        }

        // The exporter also reads the transposed context's shape to build the merge's target shape; nothing else may read it.
        var readers = consumers.GetValueOrDefault(back.Output[0]) ?? [];
        var merges = readers.Where(r => r.OpType == "Reshape" && r.Domain.Length == 0 && r.Input[0] == back.Output[0]).ToList();
        if (merges.Count != 1 || readers.Any(r => r != merges[0] && r.OpType != "Shape"))
        {
            throw Refuse(where, $"the transposed context '{back.Name}' is not read by exactly one Reshape (and Shape nodes)");
        }

        var merge = merges[0];
        if (query.Heads != key.Heads || query.Heads != value.Heads)
        {
            throw Refuse(where, $"query, key and value are split into {query.Heads}, {key.Heads} and {value.Heads} heads");
        }

        return new Matched(query.Input, key.Input, value.Input, merge.Output[0], merge, query.Heads, scale);
    }

    /// <summary>Ops the exporters build the additive padding mask with: (1 - mask) scaled by a large negative number.</summary>
    private static readonly HashSet<string> PaddingMaskOps = new(["Unsqueeze", "Cast", "Sub", "Mul", "Neg", "Reshape", "Expand"], StringComparer.Ordinal);

    /// <summary>
    /// The mask term must be the padding mask: computed from <c>attention_mask</c> by elementwise ops and scalar (or index)
    /// constants only. Anything else (a causal triangle, a relative-position bias) would be lost to key lengths.
    /// </summary>
    private static void CheckMaskTerm(GraphEditor editor, string maskTerm, Dictionary<string, NodeProto> producers, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>([maskTerm]);
        var readsMask = false;
        while (work.TryPop(out var value))
        {
            if (!seen.Add(value))
            {
                continue;
            }

            if (value == Constants.AttentionMask)
            {
                readsMask = true;
                continue;
            }

            // An initializer or a Constant node's value: it must be a scalar (or integer axes/shapes).
            if (editor.ConstantTensor(value, producers) is { } constant)
            {
                CheckScalar(constant, value, where);
                continue;
            }

            if (!producers.TryGetValue(value, out var node))
            {
                throw Refuse(where, $"its additive mask reads the graph input '{value}', not only '{Constants.AttentionMask}'");
            }

            if (node.Domain.Length > 0 || node.OpType == "Constant" || !PaddingMaskOps.Contains(node.OpType))
            {
                // A Constant here holds no tensor value (value_floats and the like): not a scalar this check can read.
                throw Refuse(where, $"its additive mask is computed by {node.OpType} '{node.Name}', not only by elementwise ops on '{Constants.AttentionMask}'");
            }

            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                work.Push(input);
            }
        }

        if (!readsMask)
        {
            throw Refuse(where, $"its additive term '{maskTerm}' is not computed from '{Constants.AttentionMask}'");
        }
    }

    /// <summary>A constant the padding mask may read: a float scalar, or integers of at most one dimension (axes, shapes).</summary>
    private static void CheckScalar(TensorProto tensor, string name, string where)
    {
        if (tensor.Dims.Count > 1 || (tensor.DataType == GraphEditor.Float && tensor.Dims.Aggregate(1L, (a, d) => a * d) > 1))
        {
            throw Refuse(where, $"its additive mask reads the constant '{name}' of shape [{string.Join(", ", tensor.Dims)}], not a scalar");
        }
    }

    /// <summary>Transpose(perm)(Reshape(x, [batch, sequence, heads, head size])): x and the head count.</summary>
    private static (string Input, long Heads) HeadsOf(GraphEditor editor, Dictionary<string, NodeProto> producers, string value, long[] perm, string where, string role)
    {
        var transpose = Producer(producers, value, "Transpose", where, $"the {role} heads");
        if (!Perm(transpose).SequenceEqual(perm))
        {
            throw Refuse(where, $"the {role} transpose '{transpose.Name}' has perm [{string.Join(", ", Perm(transpose))}], not [{string.Join(", ", perm)}]");
        }

        var reshape = Producer(producers, transpose.Input[0], "Reshape", where, $"the {role} transpose '{transpose.Name}'");
        return (reshape.Input[0], HeadCount(editor, producers, reshape, where, role));
    }

    /// <summary>The third entry of a Reshape's target shape: a constant shape, or a Concat whose third input is constant.</summary>
    private static long HeadCount(GraphEditor editor, Dictionary<string, NodeProto> producers, NodeProto reshape, string where, string role)
    {
        var shapeInput = reshape.Input[1];
        long[]? heads = null;
        if (producers.GetValueOrDefault(shapeInput) is { OpType: "Concat" } concat && concat.Input.Count == 4)
        {
            heads = ConstantInts(editor, producers, concat.Input[2]);
        }
        else if (ConstantInts(editor, producers, shapeInput) is { Length: 4 } shape)
        {
            heads = [shape[2]];
        }

        if (heads is not [var count] || count <= 0)
        {
            throw Refuse(where, $"the {role} split '{reshape.Name}' does not name a constant head count");
        }

        return count;
    }

    private static long[]? ConstantInts(GraphEditor editor, Dictionary<string, NodeProto> producers, string name)
    {
        if (producers.TryGetValue(name, out var node) && node.OpType == "Unsqueeze" && node.Input.Count >= 1)
        {
            return ConstantInts(editor, producers, node.Input[0]);
        }

        var tensor = editor.ConstantTensor(name, producers);
        return tensor is null || tensor.DataType is not (GraphEditor.Int64 or GraphEditor.Int32) ? null : GraphEditor.IntegerValues(tensor);
    }

    private static long[] Perm(NodeProto transpose) =>
        [.. transpose.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints ?? []];

    private static NodeProto Producer(Dictionary<string, NodeProto> producers, string value, string opType, string where, string what) =>
        GraphEditor.WrittenBy(producers, value, opType) ?? throw Refuse(where, $"{what} '{value}' is not written by a {opType} node");

    private static NodeProto OnlyConsumer(Dictionary<string, List<NodeProto>> consumers, string value, string opType, string where, string what) =>
        GraphEditor.OnlyReader(consumers, value, opType) ?? throw Refuse(where, $"{what} is not read by exactly one {opType} node");

    private static ModelCompilationException Refuse(string where, string why) =>
        new($"attention: {where}: {why}; the graph was left unchanged");

    private sealed record Matched(string Query, string Key, string Value, string Output, NodeProto Merge, long Heads, float Scale);
}
