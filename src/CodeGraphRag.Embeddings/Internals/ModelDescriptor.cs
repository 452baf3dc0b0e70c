using System.Globalization;
using System.Reflection;
using CodeGraphRag.Embeddings.Compilation;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>What to load for a configured model, and its identity; creating one loads nothing heavy.</summary>
internal sealed class ModelDescriptor
{
    private readonly Func<Stream> _openModel;
    private readonly Func<Stream> _openVocab;

    private ModelDescriptor(string id, ModelPrecision precision, EmbeddingPooling pooling, string queryPrefix, bool lowercase, int maxTokens, int? dimensions, Func<Stream> openModel, Func<Stream> openVocab)
    {
        Id = id;
        Precision = precision;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
        Lowercase = lowercase;
        MaxTokens = maxTokens;
        Dimensions = dimensions;
        _openModel = openModel;
        _openVocab = openVocab;
    }

    /// <summary>Model id: name, version and pooling (and the window when it is not the model's own).</summary>
    public string Id { get; }

    /// <summary>The precision the model runs at (the <c>Precision</c> setting resolved for the device).</summary>
    public ModelPrecision Precision { get; }

    public EmbeddingPooling Pooling { get; }

    public string QueryPrefix { get; }

    public bool Lowercase { get; }

    public int MaxTokens { get; }

    /// <summary>Vector length when known without loading the model.</summary>
    public int? Dimensions { get; }

    /// <summary>Resolves the options (assumed valid) to a model.</summary>
    public static ModelDescriptor From(OnnxEmbeddingOptions options)
    {
        _ = DeviceSpec.TryParse(options.Device, out var device);
        var precision = PrecisionChoice.Resolve(options.Precision, device);
        var model = options.Model.Trim();
        if (model.Equals(Constants.ModelPath, StringComparison.OrdinalIgnoreCase))
        {
            var modelPath = options.ModelPath!;
            var vocabPath = options.VocabPath!;
            var pooling = options.Pooling!.Value;
            var id = string.IsNullOrWhiteSpace(options.ModelId)
                ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(modelPath)}@{new FileInfo(modelPath).Length:x}/{PoolingName(pooling)}{WindowSuffix(options.MaxTokens, Constants.BertWindow)}{PrecisionSuffix(precision)}")
                : options.ModelId.Trim();
            return new ModelDescriptor(id, precision, pooling, options.QueryPrefix ?? string.Empty, options.Lowercase, options.MaxTokens, null, () => File.OpenRead(modelPath), () => File.OpenRead(vocabPath));
        }

        var arctic = model.Equals(Constants.ModelArcticXs, StringComparison.OrdinalIgnoreCase);
        var assemblyName = arctic ? Constants.ArcticAssembly : Constants.MiniLmAssembly;
        var name = arctic ? "snowflake-arctic-embed-xs" : "all-MiniLM-L6-v2";
        var defaultPooling = arctic ? EmbeddingPooling.Cls : EmbeddingPooling.Mean;
        var usedPooling = options.Pooling ?? defaultPooling;
        var prefix = options.QueryPrefix ?? (arctic ? Constants.ArcticQueryPrefix : string.Empty);

        // CGR: the package's model ships as manifest resources of its assembly; only the bytes are used, never its encoder.
        var assembly = Assembly.Load(new AssemblyName(assemblyName));
        var version = PackageVersion(assembly);
        var fullId = string.Create(CultureInfo.InvariantCulture, $"{name}@{version}/{PoolingName(usedPooling)}{WindowSuffix(options.MaxTokens, Constants.BertWindow)}{PrecisionSuffix(precision)}");
        return new ModelDescriptor(
            fullId,
            precision,
            usedPooling,
            prefix,
            options.Lowercase,
            options.MaxTokens,
            Constants.BundledDimensions,
            () => OpenResource(assembly, $"{assemblyName}.Resources.model.onnx"),
            () => OpenResource(assembly, $"{assemblyName}.Resources.vocab.txt"));
    }

    /// <summary>Reads the whole ONNX model.</summary>
    public byte[] ReadModelBytes()
    {
        using var stream = _openModel();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Opens the vocabulary as text; the caller disposes it.</summary>
    public TextReader OpenVocabulary() => new StreamReader(_openVocab());

    /// <summary>The id suffix of a precision other than the model's own (vectors of different precisions are never mixed).</summary>
    private static string PrecisionSuffix(ModelPrecision precision) =>
        precision == ModelPrecision.Fp32 ? string.Empty : "+" + PrecisionChoice.Name(precision);

    private static string PoolingName(EmbeddingPooling pooling) => pooling == EmbeddingPooling.Cls ? "cls" : "mean";

    private static string WindowSuffix(int maxTokens, int window) =>
        maxTokens == window ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"/max{maxTokens}");

    private static string PackageVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version
            ?? assembly.GetName().Version?.ToString()
            ?? "0";
        return version.EndsWith(".0", StringComparison.Ordinal) && version.Count(c => c == '.') == 3 ? version[..^2] : version;
    }

    private static Stream OpenResource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name)
        ?? throw new EmbeddingException($"Embedding model resource '{name}' is missing from {assembly.GetName().Name}; check the package reference.");
}
