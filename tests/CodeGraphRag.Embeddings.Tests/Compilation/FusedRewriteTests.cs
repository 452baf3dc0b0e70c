using System.Numerics.Tensors;
using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;
using Google.Protobuf;
using Onnx;

namespace CodeGraphRag.Embeddings.Tests.Compilation;

/// <summary>
/// The GPU target's rewrites checked on the CPU: attention fused into MultiHeadAttention and layer normalisation into
/// LayerNormalization give the fp32 vectors; the fp16 graph (which ONNX Runtime's CPU provider runs by casting around
/// the ops it has no fp16 kernel for) stays close to them; graphs the rewrites cannot match stop with the node named.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class FusedRewriteTests
{
    [Theory]
    [InlineData("arctic-xs", EmbeddingPooling.Cls)]
    [InlineData("minilm", EmbeddingPooling.Mean)]
    public void Fp32_AttentionAndLayerNormFused_GiveTheUnfusedVectors(string model, EmbeddingPooling pooling)
    {
        var source = SourceModels.Named(model);
        var parsed = ModelProto.Parser.ParseFrom(source);
        var editor = new GraphEditor(parsed.Graph, parsed.OpsetImport.First(o => o.Domain.Length == 0).Version);

        Assert.Equal(6, AttentionRewrite.Apply(editor, parsed));
        Assert.Equal(13, LayerNormRewrite.Apply(editor));
        PoolingRewrite.Apply(editor, pooling);

        var graph = parsed.Graph;
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "MultiHeadAttention" && n.Domain == "com.microsoft"));
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Softmax" or "Pow" or "Sqrt" or "Transpose");
        Assert.Equal(36, graph.Node.Count(n => n.OpType == "MatMul"));
        AssertSameVectors(source, parsed.ToByteArray(), pooling, 0.99999f);
    }

    [Theory]
    [InlineData("arctic-xs", EmbeddingPooling.Cls)]
    [InlineData("minilm", EmbeddingPooling.Mean)]
    public void Fp16_EveryWeightHalfAndTheVectorCloseToFp32(string model, EmbeddingPooling pooling)
    {
        var source = SourceModels.Named(model);
        var compiled = ModelCompiler.Compile(source, new ModelTarget(ModelPrecision.Fp16, pooling));
        var graph = ModelProto.Parser.ParseFrom(compiled).Graph;

        Assert.DoesNotContain(graph.Initializer, t => t.DataType == GraphEditor.Float && t.Dims.Count > 0);
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "MultiHeadAttention"));
        Assert.Equal(13, graph.Node.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(GraphEditor.Float, Assert.Single(graph.Output).Type.TensorType.ElemType);
        Assert.True(compiled.Length < source.Length * 0.55, $"fp16 model {compiled.Length} bytes, source {source.Length}");
        AssertSameVectors(source, compiled, pooling, 0.999f);
    }

    [Fact]
    public void LayerNorm_OnASmallGeneratedGraph_FusesIntoOneNodeWithTheSameOutput()
    {
        // y = (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * gamma + beta over the last axis of a [2, 4] input.
        var model = DecomposedLayerNorm(epsilon: 1e-5f, exponent: 2f);
        float[] input = [1f, 2f, 3f, 10f, -4f, 0.5f, 0.25f, 8f];
        var expected = RunFloat(model.ToByteArray(), input);

        var editor = new GraphEditor(model.Graph, 13);
        Assert.Equal(1, LayerNormRewrite.Apply(editor));

        var fused = Assert.Single(model.Graph.Node);
        Assert.Equal("LayerNormalization", fused.OpType);
        Assert.Equal(1e-5f, fused.Attribute.Single(a => a.Name == "epsilon").F);
        var actual = RunFloat(model.ToByteArray(), input);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void LayerNorm_DeviationNotSquared_NamesTheDivAndLeavesTheGraph()
    {
        var model = DecomposedLayerNorm(epsilon: 1e-5f, exponent: 3f);
        var before = model.Graph.Clone();

        var failure = Assert.Throws<ModelCompilationException>(() => LayerNormRewrite.Apply(new GraphEditor(model.Graph, 13)));

        Assert.Contains("Div 'div'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'pow' does not square", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Graph);
    }

    [Fact]
    public void Attention_SoftmaxOverAnotherAxis_NamesTheSoftmax()
    {
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        var softmax = model.Graph.Node.Where(n => n.OpType == "Softmax").ElementAt(2);
        softmax.Attribute.Single(a => a.Name == "axis").I = 2;

        var failure = Fp16Refusal(model, EmbeddingPooling.Cls);

        Assert.Contains($"Softmax '{softmax.Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("axis 2", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attention_ScoresWithoutThePaddingMask_NamesTheSoftmax()
    {
        // The additive term replaced by a constant: not a padding mask, so key lengths would change the model.
        var model = ModelProto.Parser.ParseFrom(SourceModels.MiniLm);
        var graph = model.Graph;
        var softmax = graph.Node.First(n => n.OpType == "Softmax");
        var add = graph.Node.Single(n => n.Output.Contains(softmax.Input[0]));
        var bias = new TensorProto { Name = "not_a_mask", DataType = GraphEditor.Float };
        bias.FloatData.Add(0.5f);
        graph.Initializer.Add(bias);
        add.Input[1] = "not_a_mask";

        var failure = Fp16Refusal(model, EmbeddingPooling.Mean);

        Assert.Contains($"Softmax '{softmax.Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("attention_mask", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Attention_MaskWithAMatrixConstant_IsRefused(bool asConstantNode)
    {
        // A [4, 4] term in the mask (as a causal triangle would be) is more than padding: key lengths would drop it.
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        var graph = model.Graph;
        var softmax = graph.Node.First(n => n.OpType == "Softmax");
        var scaleMask = graph.Node.Single(n => n.OpType == "Mul" && n.Name == "/Mul");
        var triangle = new TensorProto { Name = "triangle", DataType = GraphEditor.Float };
        triangle.Dims.AddRange([4, 4]);
        triangle.FloatData.AddRange(Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? 0f : -1e4f));
        if (asConstantNode)
        {
            var constant = new NodeProto { OpType = "Constant", Name = "triangle_node" };
            constant.Output.Add("triangle");
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = triangle });
            graph.Node.Insert(0, constant);
        }
        else
        {
            graph.Initializer.Add(triangle);
        }

        scaleMask.Input[1] = "triangle";

        var failure = Fp16Refusal(model, EmbeddingPooling.Cls);

        Assert.Contains($"Softmax '{softmax.Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'triangle' of shape [4, 4]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp16_SoftmaxLeftUnfused_IsRefusedWithItsName()
    {
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        var softmax = model.Graph.Node.First(n => n.OpType == "Softmax");
        var editor = new GraphEditor(model.Graph, 11);
        LayerNormRewrite.Apply(editor);

        var failure = Assert.Throws<ModelCompilationException>(() => Fp16Rewrite.Apply(editor));

        Assert.Contains($"Softmax '{softmax.Name}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp16_ValueBeyondTheHalfRange_NamesTheTensor()
    {
        var tensor = new TensorProto { Name = "huge", DataType = GraphEditor.Float };
        tensor.FloatData.AddRange([1f, 70000f]);

        var failure = Assert.Throws<ModelCompilationException>(() => Fp16Rewrite.ToHalf(tensor));

        Assert.Contains("'huge'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp16_HalvesAreTheRoundedFloats()
    {
        var tensor = new TensorProto { Name = "w", DataType = GraphEditor.Float };
        tensor.FloatData.AddRange([1f, -0.1f, 65504f]);

        Fp16Rewrite.ToHalf(tensor);

        Assert.Equal(GraphEditor.Float16, tensor.DataType);
        Assert.Empty(tensor.FloatData);
        Assert.Equal([(Half)1f, (Half)(-0.1f), (Half)65504f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span).ToArray());
    }

    private static void AssertSameVectors(byte[] source, byte[] candidate, EmbeddingPooling pooling, float minCosine)
    {
        var batch = SourceModels.Batch();
        using var reference = new OnnxBertSession(source, pooling, 2, default(DeviceSpec));
        using var rewritten = new OnnxBertSession(candidate, pooling, 2, default(DeviceSpec));
        var expected = reference.Run(batch);
        var actual = rewritten.Run(batch);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(expected[i], actual[i]);
            Assert.True(cosine >= minCosine, $"text {i} ({batch[i].Length} tokens): cosine {cosine}");
            Assert.InRange(TensorPrimitives.Norm(actual[i]), 0.999f, 1.001f);
        }
    }

    /// <summary>Compiling <paramref name="model"/> for fp16 is refused; the refusal.</summary>
    private static ModelCompilationException Fp16Refusal(ModelProto model, EmbeddingPooling pooling) =>
        Assert.Throws<ModelCompilationException>(() => ModelCompiler.Compile(model.ToByteArray(), new ModelTarget(ModelPrecision.Fp16, pooling)));

    /// <summary>A graph of one decomposed layer normalisation over the last axis of x [2, 4], as PyTorch exports it.</summary>
    private static ModelProto DecomposedLayerNorm(float epsilon, float exponent)
    {
        var graph = new GraphProto { Name = "layernorm" };
        graph.Input.Add(FloatValue("x", 2, 4));
        graph.Output.Add(FloatValue("y", 2, 4));
        graph.Initializer.Add(FloatTensor("exponent", [], exponent));
        graph.Initializer.Add(FloatTensor("epsilon", [], epsilon));
        graph.Initializer.Add(FloatTensor("gamma", [4], 1f, 0.5f, 2f, -1f));
        graph.Initializer.Add(FloatTensor("beta", [4], 0f, 0.1f, -0.2f, 0.3f));
        graph.Node.Add(Node("ReduceMean", "mean", ["x"], "m", axes: -1));
        graph.Node.Add(Node("Sub", "sub", ["x", "m"], "d"));
        graph.Node.Add(Node("Pow", "pow", ["d", "exponent"], "p"));
        graph.Node.Add(Node("ReduceMean", "variance", ["p"], "v", axes: -1));
        graph.Node.Add(Node("Add", "add_epsilon", ["v", "epsilon"], "e"));
        graph.Node.Add(Node("Sqrt", "sqrt", ["e"], "s"));
        graph.Node.Add(Node("Div", "div", ["d", "s"], "n"));
        graph.Node.Add(Node("Mul", "scale", ["n", "gamma"], "g"));
        graph.Node.Add(Node("Add", "shift", ["g", "beta"], "y"));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output, long? axes = null)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        if (axes is { } axis)
        {
            node.Attribute.Add(GraphEditor.Ints("axes", axis));
        }

        return node;
    }

    private static ValueInfoProto FloatValue(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = GraphEditor.Float, Shape = shape } } };
    }

    private static TensorProto FloatTensor(string name, long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = GraphEditor.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static float[] RunFloat(byte[] model, float[] x)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [2, 4]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["x"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
