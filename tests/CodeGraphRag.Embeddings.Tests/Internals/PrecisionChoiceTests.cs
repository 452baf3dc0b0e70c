using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;

namespace CodeGraphRag.Embeddings.Tests.Internals;

/// <summary>The <c>Precision</c> setting: explicit values as written, <c>auto</c> by device and CPU, and what it does to the model id.</summary>
public sealed class PrecisionChoiceTests
{
    private static readonly DeviceSpec Cpu = default;
    private static readonly DeviceSpec Cuda = new(IsCuda: true, DeviceId: 0);

    [Theory]
    [InlineData("fp32", ModelPrecision.Fp32)]
    [InlineData(" FP32 ", ModelPrecision.Fp32)]
    [InlineData("int8", ModelPrecision.Int8)]
    [InlineData("Int8", ModelPrecision.Int8)]
    [InlineData("fp16", ModelPrecision.Fp16)]
    public void Resolve_ExplicitPrecision_IsTakenAsWrittenOnEveryDevice(string setting, ModelPrecision expected)
    {
        Assert.Equal(expected, PrecisionChoice.Resolve(setting, Cpu));
        Assert.Equal(expected, PrecisionChoice.Resolve(setting, Cuda));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("")]
    public void Resolve_Auto_IsInt8OnACpuWithAnInt8DotProduct_Fp32OnOtherCpus_Fp16OnCuda(string setting)
    {
        var cpu = PrecisionChoice.CpuHasInt8DotProduct ? ModelPrecision.Int8 : ModelPrecision.Fp32;

        Assert.Equal(cpu, PrecisionChoice.Resolve(setting, Cpu));
        Assert.Equal(ModelPrecision.Fp16, PrecisionChoice.Resolve(setting, Cuda));
    }

    [Fact]
    public void CpuHasInt8DotProduct_AgreesWithTheKernelsCpuFlags()
    {
        // The instruction-set classes and /proc/cpuinfo are two views of the same CPU; on Linux x86 both must agree.
        if (!OperatingSystem.IsLinux() || !System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            Assert.Equal(System.Runtime.Intrinsics.Arm.Dp.IsSupported, PrecisionChoice.CpuHasInt8DotProduct);
            return;
        }

        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(flags.Contains("avx_vnni") || flags.Contains("avx512_vnni"), PrecisionChoice.CpuHasInt8DotProduct);
    }

    [Theory]
    [InlineData("bf16")]
    [InlineData("int4")]
    [InlineData("half")]
    public void Validate_UnknownPrecision_NamesEveryAcceptedValue(string setting)
    {
        var result = new OnnxEmbeddingOptionsValidator().Validate(null, new OnnxEmbeddingOptions { Precision = setting });

        Assert.Equal([$"CodeGraphRag:Embedding:Precision must be 'auto', 'fp32', 'int8' or 'fp16' (got '{setting}')."], result.Failures);
        Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(setting, Cpu));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void Validate_Fp16OnACpu_IsRefusedWithWhatToUseInstead(string device)
    {
        var result = new OnnxEmbeddingOptionsValidator().Validate(null, new OnnxEmbeddingOptions { Precision = "fp16", Device = device });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Precision=fp16 runs on CUDA only", failure, StringComparison.Ordinal);
        Assert.Contains("'int8' or 'fp32'", failure, StringComparison.Ordinal);
        var embedding = Assert.Throws<EmbeddingException>(() => new OnnxEmbedder(new OnnxEmbeddingOptions { Precision = "fp16", Device = device }));
        Assert.Contains("Precision=fp16 runs on CUDA only", embedding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelId_Fp16HasItsOwnSuffix()
    {
        var fp32 = ModelDescriptor.From(new OnnxEmbeddingOptions { Precision = "fp32" });
        var fp16 = ModelDescriptor.From(new OnnxEmbeddingOptions { Precision = "fp16", Device = "cuda" });

        Assert.Equal(fp32.Id + "+fp16", fp16.Id);
        Assert.Equal(ModelPrecision.Fp16, fp16.Precision);
    }

    [Fact]
    public void ModelId_Int8HasItsOwnSuffix_AutoTakesTheResolvedPrecisionsId()
    {
        var fp32 = ModelDescriptor.From(new OnnxEmbeddingOptions { Precision = "fp32" });
        var int8 = ModelDescriptor.From(new OnnxEmbeddingOptions { Precision = "int8" });
        var auto = ModelDescriptor.From(new OnnxEmbeddingOptions { Precision = "auto" });

        Assert.Equal(fp32.Id + "+int8", int8.Id);
        Assert.Equal(ModelPrecision.Int8, int8.Precision);
        Assert.Equal(PrecisionChoice.CpuHasInt8DotProduct ? int8.Id : fp32.Id, auto.Id);
        Assert.Equal(PrecisionChoice.CpuHasInt8DotProduct ? "int8" : "fp32", new OnnxEmbeddingOptions { Precision = "auto" }.EffectivePrecision);
    }

    [Fact]
    public void DescribePrecision_SaysWhyForAuto_AndOnlyTheValueOtherwise()
    {
        Assert.Equal("int8", new OnnxEmbeddingOptions { Precision = "int8" }.DescribePrecision());
        var auto = new OnnxEmbeddingOptions { Precision = "auto" }.DescribePrecision();
        Assert.Equal(
            PrecisionChoice.CpuHasInt8DotProduct ? "int8 (Precision=auto: this CPU has an int8 dot product)" : "fp32 (Precision=auto: this CPU has no int8 dot product)",
            auto);
    }
}
