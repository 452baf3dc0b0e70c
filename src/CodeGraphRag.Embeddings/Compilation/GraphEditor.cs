using Google.Protobuf;
using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>Small helpers over an ONNX graph: unique names, new nodes and initializers, attribute builders.</summary>
internal sealed class GraphEditor(GraphProto graph, long opset)
{
    public const int Float = 1;
    public const int Uint8 = 2;
    public const int Int8 = 3;
    public const int Int32 = 6;
    public const int Int64 = 7;

    private readonly HashSet<string> _names = new(
        graph.Node.SelectMany(n => n.Output.Concat(n.Input).Append(n.Name))
            .Concat(graph.Initializer.Select(i => i.Name))
            .Concat(graph.Input.Select(i => i.Name))
            .Concat(graph.Output.Select(o => o.Name)),
        StringComparer.Ordinal);

    public GraphProto Graph { get; } = graph;

    /// <summary>The default-domain opset the model imports (it decides whether axes are attributes or inputs).</summary>
    public long Opset { get; } = opset;

    /// <summary>Unsqueeze (axes an attribute before opset 13, an input from 13 on).</summary>
    public NodeProto Unsqueeze(string input, string output, params long[] axes) => Opset < 13
        ? Node("Unsqueeze", [input], [output], Ints("axes", axes))
        : Node("Unsqueeze", [input, Int64Initializer("cgr/axes", [axes.Length], axes)], [output]);

    /// <summary>A Reduce* op whose axes become an input from <paramref name="axesInputFrom"/> on (13 for ReduceSum, 18 for the others).</summary>
    public NodeProto Reduce(string opType, string input, string output, long axis, bool keepDims, long axesInputFrom) => Opset < axesInputFrom
        ? Node(opType, [input], [output], Ints("axes", axis), Int("keepdims", keepDims ? 1 : 0))
        : Node(opType, [input, Int64Initializer("cgr/axes", [1], [axis])], [output], Int("keepdims", keepDims ? 1 : 0));

    /// <summary>A name not used yet in the graph, starting with <paramref name="stem"/>.</summary>
    public string Fresh(string stem)
    {
        var name = stem;
        for (var i = 1; !_names.Add(name); i++)
        {
            name = $"{stem}_{i}";
        }

        return name;
    }

    public NodeProto Node(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh("cgr/" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public string Initializer(string stem, int dataType, IReadOnlyList<long> dims, ReadOnlySpan<byte> raw)
    {
        var tensor = new TensorProto { Name = Fresh(stem), DataType = dataType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string FloatInitializer(string stem, IReadOnlyList<long> dims, ReadOnlySpan<float> values) =>
        Initializer(stem, Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    public string Int64Initializer(string stem, IReadOnlyList<long> dims, ReadOnlySpan<long> values) =>
        Initializer(stem, Int64, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>The float values of an fp32 initializer (raw little-endian bytes or the typed field).</summary>
    public static float[] FloatValues(TensorProto tensor)
    {
        if (tensor.DataType != Float)
        {
            throw new ModelCompilationException($"initializer '{tensor.Name}' is of ONNX type {tensor.DataType}, not float");
        }

        if (!tensor.RawData.IsEmpty)
        {
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }

        return [.. tensor.FloatData];
    }
}
