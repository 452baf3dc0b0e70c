using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Embeddings.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class OnnxEmbeddingOptionsValidatorTests
{
    private readonly OnnxEmbeddingOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new OnnxEmbeddingOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_PathModelWithoutFiles_NamesEveryMissingKey()
    {
        var result = _validator.Validate(null, new OnnxEmbeddingOptions { Model = "path" });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Embedding:ModelPath must be set", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Embedding:VocabPath must be set", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Embedding:Pooling must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PathModelFileMissing_SaysWhichPath()
    {
        using var dir = new TempDirectory();
        var vocab = dir.Write("vocab.txt", "[PAD]\n");
        var missing = Path.Combine(dir.Path, "model.onnx");

        var result = _validator.Validate(null, new OnnxEmbeddingOptions { Model = "path", ModelPath = missing, VocabPath = vocab, Pooling = EmbeddingPooling.Mean });

        Assert.Equal([$"CodeGraphRag:Embedding:ModelPath points to '{missing}', which does not exist."], result.Failures);
    }

    [Fact]
    public void Validate_SeveralBadValues_CollectsAllFailures()
    {
        var options = new OnnxEmbeddingOptions
        {
            Model = "bert-huge",
            MaxTokens = 2,
            BatchSize = 0,
            BatchTokens = 0,
            IntraOpThreads = 0,
            MaxQueue = 0,
            MaxWait = TimeSpan.FromSeconds(-1),
            Device = "tpu",
            Precision = "int4",
        };

        var failures = _validator.Validate(null, options).Failures!.ToList();

        string[] keys = ["Model", "MaxTokens", "BatchSize", "BatchTokens", "IntraOpThreads", "MaxQueue", "MaxWait", "Precision", "Device"];
        Assert.Equal(keys.Length, failures.Count);
        foreach (var key in keys)
        {
            Assert.Contains(failures, f => f.StartsWith($"CodeGraphRag:Embedding:{key} must", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("CUDA:1")]
    public void Validate_CudaOnCpuBuild_GivesOneLineNamingTheBuildFlavour(string device)
    {
        var result = _validator.Validate(null, new OnnxEmbeddingOptions { Device = device });

        // The cuda flavour (-p:CgrOnnxFlavor=cuda) accepts the setting; the default CPU build must refuse it.
        if (DeviceSpec.CudaBuild)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
            return;
        }

        Assert.Equal(["CodeGraphRag:Embedding:Device=cuda needs the CUDA build: dotnet build -p:CgrOnnxFlavor=cuda"], result.Failures);
    }

    [Fact]
    public void Ctor_CudaOnCpuBuild_ThrowsTheOneLineError()
    {
        Assert.SkipWhen(DeviceSpec.CudaBuild, "the cuda flavour loads the CUDA provider instead");
        var error = Assert.Throws<EmbeddingException>(() => new OnnxEmbedder(new OnnxEmbeddingOptions { Device = "cuda" }));

        Assert.Equal("CodeGraphRag:Embedding:Device=cuda needs the CUDA build: dotnet build -p:CgrOnnxFlavor=cuda", error.Message);
    }

    [Theory]
    [InlineData("cpu", null, 8)]
    [InlineData("cuda", null, 64)]
    [InlineData("cuda:1", null, 64)]
    [InlineData("cuda", 256, 256)]
    [InlineData("cpu", 32, 32)]
    public void EffectiveBatchSize_UnsetOrSet_DeviceDefaultOrTheSetting(string device, int? batchSize, int expected)
    {
        var options = new OnnxEmbeddingOptions { Device = device, BatchSize = batchSize };

        Assert.Equal(expected, options.EffectiveBatchSize);
    }

    [Theory]
    [InlineData("cpu", null, null)]
    [InlineData("cuda", null, 16_384)]
    [InlineData("cuda", 4096, 4096)]
    [InlineData("cpu", 2048, 2048)]
    public void EffectiveBatchTokens_UnsetOrSet_DeviceDefaultOrTheSetting(string device, int? batchTokens, int? expected)
    {
        var options = new OnnxEmbeddingOptions { Device = device, BatchTokens = batchTokens };

        Assert.Equal(expected, options.EffectiveBatchTokens);
    }
}
