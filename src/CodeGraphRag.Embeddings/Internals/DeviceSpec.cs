using System.Globalization;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>A parsed <c>Device</c> setting: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
internal readonly record struct DeviceSpec(bool IsCuda, int DeviceId)
{
    /// <summary>True when this assembly was built with the CUDA execution provider.</summary>
#if CGR_ONNX_CUDA
    public static bool CudaBuild => true;
#else
    public static bool CudaBuild => false;
#endif

    public static string CudaNeedsCudaBuildMessage =>
        $"{Constants.ConfigSection}:Device=cuda needs the CUDA build: {Constants.CudaBuildHint}";

    public static bool TryParse(string? value, out DeviceSpec spec)
    {
        spec = default;
        var text = (value ?? string.Empty).Trim();
        if (text.Length == 0 || text.Equals(Constants.DeviceCpu, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals(Constants.DeviceCuda, StringComparison.OrdinalIgnoreCase))
        {
            spec = new DeviceSpec(true, 0);
            return true;
        }

        var prefix = Constants.DeviceCuda + ":";
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            spec = new DeviceSpec(true, id);
            return true;
        }

        return false;
    }
}
