using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Fuses each decomposed layer normalisation into one <c>LayerNormalization</c> node, which computes its mean and variance
/// in fp32 whatever its input type: in fp16 the decomposed form squares the deviations in fp16 (a deviation of 256
/// already overflows) and rounds the epsilon (1e-12) to zero.
/// </summary>
/// <remarks>
/// Matched, as PyTorch's exporter writes it: <c>d = Sub(x, ReduceMean(x))</c>,
/// <c>Add(Mul(Div(d, Sqrt(Add(ReduceMean(Pow(d, 2)), ε))), γ), β)</c>, both means over the last axis. ONNX Runtime
/// serves <c>LayerNormalization</c> in the default domain for every opset (before 17 as its own contrib op).
/// </remarks>
internal static class LayerNormRewrite
{
    /// <summary>Rewrites the graph in place; returns how many layer normalisations were fused.</summary>
    public static int Apply(GraphEditor editor)
    {
        var graph = editor.Graph;
        var producers = editor.Producers();
        var consumers = editor.Consumers();
        var replaced = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var div in graph.Node.Where(n => n.OpType == "Div" && n.Domain.Length == 0 && producers.TryGetValue(n.Input[1], out var p) && p.OpType == "Sqrt"))
        {
            var (last, fused) = Match(editor, div, producers, consumers);
            replaced[last] = fused;
        }

        if (replaced.Count == 0)
        {
            throw new ModelCompilationException("layernorm: the graph has no layer normalisation (Div by a Sqrt of a ReduceMean of squared deviations) to fuse");
        }

        var rewritten = graph.Node.Select(n => replaced.TryGetValue(n, out var fused) ? fused : n).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        editor.Prune();
        return replaced.Count;
    }

    private static (NodeProto Last, NodeProto Fused) Match(GraphEditor editor, NodeProto div, Dictionary<string, NodeProto> producers, Dictionary<string, List<NodeProto>> consumers)
    {
        var where = $"Div '{div.Name}'";
        var deviation = div.Input[0];
        var sqrt = producers[div.Input[1]];
        var addEpsilon = Producer(producers, sqrt.Input[0], "Add", where);
        var (varianceName, epsilonName) = ConstantOperand(editor, producers, addEpsilon, where, "epsilon");
        var epsilon = ScalarFloat(editor, producers, epsilonName) ?? throw Refuse(where, $"the epsilon of '{addEpsilon.Name}' is not one float");
        var variance = Producer(producers, varianceName, "ReduceMean", where);
        CheckLastAxis(editor, producers, variance, where);
        var pow = Producer(producers, variance.Input[0], "Pow", where);
        if (pow.Input[0] != deviation || ScalarFloat(editor, producers, pow.Input[1]) is not 2f)
        {
            throw Refuse(where, $"'{pow.Name}' does not square the deviation '{deviation}'");
        }

        var sub = Producer(producers, deviation, "Sub", where);
        var mean = Producer(producers, sub.Input[1], "ReduceMean", where);
        CheckLastAxis(editor, producers, mean, where);
        if (mean.Input[0] != sub.Input[0])
        {
            throw Refuse(where, $"'{sub.Name}' subtracts the mean of another value");
        }

        var scale = OnlyConsumer(consumers, div.Output[0], "Mul", where);
        var (_, gamma) = ConstantOperand(editor, producers, scale, where, "scale", vector: true);
        var shift = OnlyConsumer(consumers, scale.Output[0], "Add", where);
        var (_, beta) = ConstantOperand(editor, producers, shift, where, "bias", vector: true);

        var fused = editor.Node(
            "LayerNormalization",
            [sub.Input[0], gamma, beta],
            [shift.Output[0]],
            GraphEditor.Int("axis", -1),
            new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = epsilon });
        return (shift, fused);
    }

    /// <summary>The non-constant operand of a binary node and the name of its float constant operand.</summary>
    private static (string Other, string Constant) ConstantOperand(GraphEditor editor, Dictionary<string, NodeProto> producers, NodeProto node, string where, string role, bool vector = false)
    {
        for (var i = 0; i < 2; i++)
        {
            var tensor = editor.ConstantTensor(node.Input[i], producers);
            if (tensor is null || tensor.DataType != GraphEditor.Float)
            {
                continue;
            }

            var other = node.Input[1 - i];
            if (vector && (tensor.Dims.Count != 1 || !editor.Graph.Initializer.Any(t => t.Name == node.Input[i])))
            {
                throw Refuse(where, $"the {role} of '{node.Name}' is not a one-dimensional initializer");
            }

            return (other, node.Input[i]);
        }

        throw Refuse(where, $"'{node.Name}' has no constant {role}");
    }

    private static float? ScalarFloat(GraphEditor editor, Dictionary<string, NodeProto> producers, string name)
    {
        var tensor = editor.ConstantTensor(name, producers);
        return tensor is { DataType: GraphEditor.Float } && GraphEditor.FloatValues(tensor) is [var value] ? value : null;
    }

    /// <summary>The mean is over the last axis only (an <c>axes</c> attribute, or a constant input from opset 18 on).</summary>
    private static void CheckLastAxis(GraphEditor editor, Dictionary<string, NodeProto> producers, NodeProto reduce, string where)
    {
        var axes = reduce.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray()
            ?? (reduce.Input.Count > 1 && editor.ConstantTensor(reduce.Input[1], producers) is { } tensor ? GraphEditor.IntegerValues(tensor) : null);
        if (axes is not [-1])
        {
            throw Refuse(where, $"'{reduce.Name}' does not average over the last axis (axes [{string.Join(", ", axes ?? [])}])");
        }
    }

    private static NodeProto Producer(Dictionary<string, NodeProto> producers, string value, string opType, string where) =>
        GraphEditor.WrittenBy(producers, value, opType) ?? throw Refuse(where, $"'{value}' is not written by a {opType} node");

    private static NodeProto OnlyConsumer(Dictionary<string, List<NodeProto>> consumers, string value, string opType, string where) =>
        GraphEditor.OnlyReader(consumers, value, opType) ?? throw Refuse(where, $"'{value}' is not read by exactly one {opType} node");

    private static ModelCompilationException Refuse(string where, string why) =>
        new($"layernorm: {where}: {why}; the graph was left unchanged");
}
