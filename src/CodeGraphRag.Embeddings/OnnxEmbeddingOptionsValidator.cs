using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Embeddings;

/// <summary>Checks <see cref="OnnxEmbeddingOptions"/>, collecting every failure with the key to set.</summary>
internal sealed class OnnxEmbeddingOptionsValidator : IValidateOptions<OnnxEmbeddingOptions>
{
    private const string Prefix = Constants.ConfigSection + ":";

    public ValidateOptionsResult Validate(string? name, OnnxEmbeddingOptions options)
    {
        var failures = Collect(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>All problems with <paramref name="options"/>, one line each.</summary>
    public static List<string> Collect(OnnxEmbeddingOptions options)
    {
        var failures = new List<string>();
        var model = options.Model?.Trim() ?? string.Empty;
        var isPath = model.Equals(Constants.ModelPath, StringComparison.OrdinalIgnoreCase);
        if (!isPath
            && !model.Equals(Constants.ModelArcticXs, StringComparison.OrdinalIgnoreCase)
            && !model.Equals(Constants.ModelMiniLm, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Prefix}Model must be '{Constants.ModelArcticXs}', '{Constants.ModelMiniLm}' or '{Constants.ModelPath}' (got '{options.Model}').");
        }

        if (isPath)
        {
            CheckFile(failures, "ModelPath", options.ModelPath, "the BERT-style .onnx file to load");
            CheckFile(failures, "VocabPath", options.VocabPath, "the model's WordPiece vocab.txt");
            if (options.Pooling is null)
            {
                failures.Add($"{Prefix}Pooling must be set for Model=path: '{EmbeddingPooling.Cls}' or '{EmbeddingPooling.Mean}'.");
            }
        }

        if (options.Pooling is { } pooling && !Enum.IsDefined(pooling))
        {
            failures.Add($"{Prefix}Pooling must be '{EmbeddingPooling.Cls}' or '{EmbeddingPooling.Mean}'.");
        }

        var maxWindow = isPath ? 8192 : Constants.BertWindow;
        if (options.MaxTokens < 3 || options.MaxTokens > maxWindow)
        {
            failures.Add($"{Prefix}MaxTokens must be between 3 and {maxWindow}, [CLS] and [SEP] included (got {options.MaxTokens}).");
        }

        if (options.BatchSize is < 1 or > 4096)
        {
            failures.Add($"{Prefix}BatchSize must be between 1 and 4096 (got {options.BatchSize}).");
        }

        if (options.BatchTokens is < 1 or > 4_194_304)
        {
            failures.Add($"{Prefix}BatchTokens must be between 1 and 4194304 (got {options.BatchTokens}).");
        }

        if (options.IntraOpThreads is < 1)
        {
            failures.Add($"{Prefix}IntraOpThreads must be at least 1, or unset for one per processor (got {options.IntraOpThreads}).");
        }

        if (options.MaxQueue < 1)
        {
            failures.Add($"{Prefix}MaxQueue must be at least 1 (got {options.MaxQueue}).");
        }

        if (options.MaxWait < TimeSpan.Zero || options.MaxWait > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Prefix}MaxWait must be between 00:00:00 and 00:00:01 (got {options.MaxWait}).");
        }

        if (!PrecisionChoice.IsKnown(options.Precision))
        {
            failures.Add($"{Prefix}Precision must be {PrecisionChoice.Accepted} (got '{options.Precision}').");
        }

        if (!DeviceSpec.TryParse(options.Device, out var device))
        {
            failures.Add($"{Prefix}Device must be 'cpu', 'cuda' or 'cuda:N' (got '{options.Device}').");
        }
        else if (device.IsCuda && !DeviceSpec.CudaBuild)
        {
            failures.Add(DeviceSpec.CudaNeedsCudaBuildMessage);
        }
        else if (!device.IsCuda && PrecisionChoice.IsKnown(options.Precision) && PrecisionChoice.Resolve(options.Precision, device) == ModelPrecision.Fp16)
        {
            // ONNX Runtime's CPU provider has few fp16 kernels: it would cast around nearly every op, slower than fp32.
            failures.Add($"{Prefix}Precision=fp16 runs on CUDA only (Device=cuda or cuda:N); on a CPU use 'int8' or 'fp32' (got Device='{options.Device}').");
        }

        return failures;
    }

    private static void CheckFile(List<string> failures, string key, string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{Prefix}{key} must be set for Model=path: {what}.");
        }
        else if (!File.Exists(path))
        {
            failures.Add($"{Prefix}{key} points to '{path}', which does not exist.");
        }
    }
}
