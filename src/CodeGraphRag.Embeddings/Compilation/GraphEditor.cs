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
    public const int Float16 = 10;

    /// <summary>The domain of ONNX Runtime's contrib ops (MultiHeadAttention).</summary>
    public const string MicrosoftDomain = "com.microsoft";

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

    /// <summary>Which node writes each value (graph inputs and initializers have none).</summary>
    public Dictionary<string, NodeProto> Producers()
    {
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in Graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                producers[output] = node;
            }
        }

        return producers;
    }

    /// <summary>Which nodes read each value (a node reading a value twice is listed once).</summary>
    public Dictionary<string, List<NodeProto>> Consumers()
    {
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in Graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        return consumers;
    }

    /// <summary>The default-domain node of <paramref name="opType"/> that writes <paramref name="value"/>; null when another node or none does.</summary>
    public static NodeProto? WrittenBy(Dictionary<string, NodeProto> producers, string value, string opType) =>
        producers.TryGetValue(value, out var node) && node.OpType == opType && node.Domain.Length == 0 ? node : null;

    /// <summary>The one default-domain node of <paramref name="opType"/> that reads <paramref name="value"/>; null when others read it too.</summary>
    public static NodeProto? OnlyReader(Dictionary<string, List<NodeProto>> consumers, string value, string opType) =>
        consumers.TryGetValue(value, out var readers) && readers.Count == 1 && readers[0].OpType == opType && readers[0].Domain.Length == 0 ? readers[0] : null;

    /// <summary>The constant tensor behind <paramref name="name"/>: an initializer or a <c>Constant</c> node's value; null otherwise.</summary>
    public TensorProto? ConstantTensor(string name, IReadOnlyDictionary<string, NodeProto> producers)
    {
        var initializer = Graph.Initializer.FirstOrDefault(i => i.Name == name);
        if (initializer is not null)
        {
            return initializer;
        }

        return producers.TryGetValue(name, out var node) && node.OpType == "Constant" && node.Domain.Length == 0
            ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
            : null;
    }

    /// <summary>Declares <paramref name="domain"/> at <paramref name="version"/> in the model's opset imports unless it is there.</summary>
    public static void ImportDomain(ModelProto model, string domain, long version)
    {
        if (!model.OpsetImport.Any(o => o.Domain == domain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }
    }

    /// <summary>Drops the nodes and initializers no graph output depends on any more.</summary>
    public void Prune()
    {
        var producer = Producers();
        var live = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>(Graph.Output.Select(o => o.Name));
        while (work.TryPop(out var value))
        {
            if (!needed.Add(value) || !producer.TryGetValue(value, out var node) || !live.Add(node))
            {
                continue;
            }

            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                work.Push(input);
            }
        }

        var kept = Graph.Node.Where(live.Contains).ToList();
        Graph.Node.Clear();
        Graph.Node.AddRange(kept);
        var initializers = Graph.Initializer.Where(i => needed.Contains(i.Name)).ToList();
        Graph.Initializer.Clear();
        Graph.Initializer.AddRange(initializers);
    }

    /// <summary>The values of an integer constant (int64 or int32, raw or typed).</summary>
    public static long[] IntegerValues(TensorProto tensor)
    {
        return tensor.DataType switch
        {
            Int64 when !tensor.RawData.IsEmpty => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray(),
            Int64 => [.. tensor.Int64Data],
            Int32 when !tensor.RawData.IsEmpty => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(tensor.RawData.Span).ToArray().Select(v => (long)v)],
            Int32 => [.. tensor.Int32Data.Select(v => (long)v)],
            _ => throw new ModelCompilationException($"constant '{tensor.Name}' is of ONNX type {tensor.DataType}, not an integer"),
        };
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
