using System.Numerics.Tensors;
using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;
using Google.Protobuf;
using Onnx;

namespace CodeGraphRag.Embeddings.Tests.Compilation;

/// <summary>
/// The model compiler on the real bundled models: pooling in the graph gives the vectors the host-side pooling gives,
/// int8 stays close to fp32, and a graph a rewrite cannot handle stops with a message naming what it stopped at.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ModelCompilerTests
{
    [Theory]
    [InlineData("arctic-xs", EmbeddingPooling.Cls)]
    [InlineData("minilm", EmbeddingPooling.Mean)]
    public void Fp32_PoolingInTheGraph_GivesTheHostPooledVectors(string model, EmbeddingPooling pooling)
    {
        var source = SourceModels.Named(model);
        var batch = SourceModels.Batch();
        using var reference = new OnnxBertSession(source, pooling, 2, default(DeviceSpec));
        using var prepared = new OnnxBertSession(ModelCompiler.Compile(source, new ModelTarget(ModelPrecision.Fp32, pooling)), pooling, 2, default(DeviceSpec));

        var expected = reference.Run(batch);
        var actual = prepared.Run(batch);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(384, actual[i].Length);
            Assert.InRange(TensorPrimitives.CosineSimilarity(expected[i], actual[i]), 0.99999f, 1.00001f);
            Assert.InRange(TensorPrimitives.Norm(actual[i]), 0.9999f, 1.0001f);
        }
    }

    [Theory]
    [InlineData("arctic-xs", EmbeddingPooling.Cls)]
    [InlineData("minilm", EmbeddingPooling.Mean)]
    public void Int8_QuantizesEveryWeightMatMulAndStaysCloseToFp32(string model, EmbeddingPooling pooling)
    {
        var source = SourceModels.Named(model);
        var compiled = ModelCompiler.Compile(source, new ModelTarget(ModelPrecision.Int8, pooling));
        var graph = ModelProto.Parser.ParseFrom(compiled).Graph;
        var batch = SourceModels.Batch();
        using var fp32 = new OnnxBertSession(ModelCompiler.Compile(source, new ModelTarget(ModelPrecision.Fp32, pooling)), pooling, 2, default(DeviceSpec));
        using var int8 = new OnnxBertSession(compiled, pooling, 2, default(DeviceSpec));

        var expected = fp32.Run(batch);
        var actual = int8.Run(batch);

        // 6 layers x (query, key, value, attention output, two feed-forward): 36 weight MatMuls; the 12 attention products stay.
        Assert.Equal(36, graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(12, graph.Node.Count(n => n.OpType == "MatMul"));
        // One activation quantization per distinct input: query/key/value share theirs, so 4 per layer.
        Assert.Equal(24, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.DoesNotContain(graph.Node, n => n.OpType == "MatMul" && graph.Initializer.Any(i => i.Name == n.Input[1]));

        // The word-embedding table (about half the file) stays fp32; the dense weights shrink to a quarter.
        Assert.True(compiled.Length < source.Length * 0.7, $"int8 model {compiled.Length} bytes, source {source.Length}");
        // Random token ids are harder than code (MiniLM: 0.986 on one of them); real chunks are measured in docs/benchmarks.md.
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(expected[i], actual[i]) > 0.98f, $"text {i}: cosine {TensorPrimitives.CosineSimilarity(expected[i], actual[i])}");
        }
    }

    [Fact]
    public void QuantizeColumns_ScalesEachColumnByItsLargestMagnitude()
    {
        var weight = new TensorProto { Name = "w", DataType = GraphEditor.Float };
        weight.Dims.AddRange([2, 3]);
        weight.FloatData.AddRange([1f, -0.5f, 0f, -2f, 0.25f, 0f]);

        var (values, scales) = Int8Rewrite.QuantizeColumns(weight);

        Assert.Equal([2f / 127, 0.5f / 127, 1f], scales);
        Assert.Equal(new sbyte[] { 64, -127, 0, -127, 64, 0 }, values);
    }

    [Fact]
    public void Compile_NotAnOnnxModel_SaysSo()
    {
        var failure = Assert.Throws<ModelCompilationException>(() => ModelCompiler.Compile([0xff, 0xff, 0xff, 0x01], new ModelTarget(ModelPrecision.Fp32, EmbeddingPooling.Cls)));

        Assert.Contains("not an ONNX model", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_OpsetTheRewritesDoNotWrite_NamesTheOpset()
    {
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        model.OpsetImport[0].Version = 22;

        var failure = Assert.Throws<ModelCompilationException>(() => ModelCompiler.Compile(model.ToByteArray(), new ModelTarget(ModelPrecision.Fp32, EmbeddingPooling.Cls)));

        Assert.Contains("opset 22", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8_WeightOfAnotherRank_NamesTheNodeAndWeight()
    {
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        var graph = model.Graph;
        var matMul = graph.Node.First(n => n.OpType == "MatMul" && graph.Initializer.Any(i => i.Name == n.Input[1]));
        var weight = graph.Initializer.First(i => i.Name == matMul.Input[1]);
        var columns = weight.Dims[1];
        weight.Dims.Clear();
        weight.Dims.AddRange([1, weight.FloatData.Count > 0 ? weight.FloatData.Count / columns : weight.RawData.Length / 4 / columns, columns]);

        var failure = Assert.Throws<ModelCompilationException>(() => ModelCompiler.Compile(model.ToByteArray(), new ModelTarget(ModelPrecision.Int8, EmbeddingPooling.Cls)));

        Assert.Contains($"'{matMul.Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{weight.Name}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_ModelWithoutAnAttentionMask_SaysWhatIsMissing()
    {
        var model = ModelProto.Parser.ParseFrom(SourceModels.Arctic);
        var mask = model.Graph.Input.First(i => i.Name == "attention_mask");
        mask.Name = "mask";

        var failure = Assert.Throws<ModelCompilationException>(() => ModelCompiler.Compile(model.ToByteArray(), new ModelTarget(ModelPrecision.Fp32, EmbeddingPooling.Mean)));

        Assert.Contains("'attention_mask'", failure.Message, StringComparison.Ordinal);
    }
}
