using System.Runtime.Intrinsics.X86;
using CodeGraphRag.Embeddings.Compilation;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>
/// The precision a <c>Precision</c> setting runs at on a device: <c>fp32</c>, <c>int8</c> and <c>fp16</c> as written;
/// <c>auto</c> is fp16 on CUDA (tensor cores, fused attention), int8 on a CPU with an integer dot-product instruction
/// (x86 VNNI, Arm dot product), where ONNX Runtime's int8 matrix products are about twice as fast as fp32
/// (docs/benchmarks.md), and fp32 on other CPUs.
/// </summary>
internal static class PrecisionChoice
{
    private const string CpuInfoPath = "/proc/cpuinfo";

    private static readonly Lazy<bool> Int8DotProduct = new(DetectInt8DotProduct);

    /// <summary>True when this CPU has an int8 dot-product instruction that ONNX Runtime's int8 kernels use.</summary>
    public static bool CpuHasInt8DotProduct => Int8DotProduct.Value;

    /// <summary>The precisions the setting accepts, for messages.</summary>
    public static string Accepted => $"'{Constants.PrecisionAuto}', '{Constants.PrecisionFp32}', '{Constants.PrecisionInt8}' or '{Constants.PrecisionFp16}'";

    /// <summary>True for a value the setting accepts (case-insensitive, surrounding blanks ignored).</summary>
    public static bool IsKnown(string? setting) => TryParse(setting, out _);

    /// <summary>The precision <paramref name="setting"/> (assumed known) runs at on <paramref name="device"/>.</summary>
    public static ModelPrecision Resolve(string? setting, DeviceSpec device)
    {
        if (!TryParse(setting, out var explicitPrecision))
        {
            throw new ArgumentException($"{Constants.ConfigSection}:Precision must be {Accepted} (got '{setting}').", nameof(setting));
        }

        return explicitPrecision ?? (device.IsCuda ? ModelPrecision.Fp16 : CpuHasInt8DotProduct ? ModelPrecision.Int8 : ModelPrecision.Fp32);
    }

    /// <summary>The setting's lower-case name of <paramref name="precision"/>.</summary>
    public static string Name(ModelPrecision precision) => precision switch
    {
        ModelPrecision.Int8 => Constants.PrecisionInt8,
        ModelPrecision.Fp16 => Constants.PrecisionFp16,
        _ => Constants.PrecisionFp32,
    };

    /// <summary>Parses the setting; <paramref name="precision"/> is null for <c>auto</c> (and for an empty setting).</summary>
    private static bool TryParse(string? setting, out ModelPrecision? precision)
    {
        precision = null;
        var text = setting?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Equals(Constants.PrecisionAuto, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals(Constants.PrecisionFp32, StringComparison.OrdinalIgnoreCase))
        {
            precision = ModelPrecision.Fp32;
            return true;
        }

        if (text.Equals(Constants.PrecisionInt8, StringComparison.OrdinalIgnoreCase))
        {
            precision = ModelPrecision.Int8;
            return true;
        }

        if (text.Equals(Constants.PrecisionFp16, StringComparison.OrdinalIgnoreCase))
        {
            precision = ModelPrecision.Fp16;
            return true;
        }

        return false;
    }

    private static bool DetectInt8DotProduct()
    {
        if (AvxVnni.IsSupported || System.Runtime.Intrinsics.Arm.Dp.IsSupported)
        {
            return true;
        }

        // AVX-512 VNNI without the VEX-encoded AVX-VNNI (Cascade Lake, Ice Lake servers): .NET names no class for it,
        // so the kernel's flags say.
        try
        {
            return Avx512F.IsSupported && File.Exists(CpuInfoPath)
                && File.ReadLines(CpuInfoPath).Any(line => line.StartsWith("flags", StringComparison.Ordinal) && line.Contains(" avx512_vnni", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
