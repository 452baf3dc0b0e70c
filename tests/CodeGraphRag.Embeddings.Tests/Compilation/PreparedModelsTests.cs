using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Embeddings.Tests.Compilation;

/// <summary>Prepared models kept in a directory: written once, loaded later without compiling, rebuilt when damaged.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PreparedModelsTests : IDisposable
{
    private static readonly Lazy<byte[]> Source = new(() => ModelDescriptor.From(new OnnxEmbeddingOptions()).ReadModelBytes());
    private static readonly ModelTarget Target = new(ModelPrecision.Int8, EmbeddingPooling.Cls);
    private readonly TempDirectory _temp = new("cgr-prepared");

    [Fact]
    public void GetOrCompile_SecondCall_ReadsTheKeptFileWithoutCompiling()
    {
        var log = new ListLogger();

        var first = PreparedModels.GetOrCompile(Source.Value, Target, _temp.Path, log);
        var path = Path.Combine(_temp.Path, PreparedModels.FileName(Source.Value, Target));
        var written = File.GetLastWriteTimeUtc(path);
        var second = PreparedModels.GetOrCompile(Source.Value, Target, _temp.Path, log);

        Assert.Equal(first, second);
        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Single(log.Lines, l => l.StartsWith("Information Prepared the embedding model for int8-cls", StringComparison.Ordinal));
        Assert.Matches("^[0-9a-f]{16}-int8-cls-v[0-9]+\\.onnx$", Path.GetFileName(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + ".sha256"));
        }
    }

    [Fact]
    public void GetOrCompile_KeptFileDamaged_IsRebuiltWithAWarning()
    {
        var log = new ListLogger();
        var good = PreparedModels.GetOrCompile(Source.Value, Target, _temp.Path, log);
        var path = Path.Combine(_temp.Path, PreparedModels.FileName(Source.Value, Target));
        var damaged = File.ReadAllBytes(path);
        damaged[damaged.Length / 2] ^= 0x5a;
        File.WriteAllBytes(path, damaged);

        var loaded = PreparedModels.GetOrCompile(Source.Value, Target, _temp.Path, log);

        Assert.Equal(good, loaded);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("does not match its recorded hash", StringComparison.Ordinal) && l.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Embedder_KeptFileThatDoesNotLoad_IsCompiledAgainAndEmbeds()
    {
        var path = Path.Combine(_temp.Path, PreparedModels.FileName(Source.Value, Target));
        var garbage = new byte[] { 1, 2, 3, 4 };
        File.WriteAllBytes(path, garbage);
        File.WriteAllText(path + ".sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(garbage)));
        var log = new ListLogger<OnnxEmbedder>();

        await using var embedder = new OnnxEmbedder(new OnnxEmbeddingOptions { Precision = "int8", PreparedModelDirectory = _temp.Path, IntraOpThreads = 2 }, log);
        var vectors = await embedder.EmbedAsync(["def parse(text): return text.split()"], EmbeddingPurpose.Document, TestContext.Current.CancellationToken);

        Assert.Equal(384, vectors[0].Length);
        Assert.EndsWith("+int8", embedder.Model.Id, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Contains("failed to load; compiling it again", StringComparison.Ordinal));
        Assert.NotEqual(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Embedder_Fp32_KeepsTheModelIdAndItsVectors()
    {
        await using var prepared = new OnnxEmbedder(new OnnxEmbeddingOptions { PreparedModelDirectory = _temp.Path, IntraOpThreads = 2 });
        await using var inMemory = new OnnxEmbedder(new OnnxEmbeddingOptions { IntraOpThreads = 2 });
        string[] texts = ["public int Add(int a, int b) => a + b;", "where do we validate JWTs?"];

        var a = await prepared.EmbedAsync(texts, EmbeddingPurpose.Document, TestContext.Current.CancellationToken);
        var b = await inMemory.EmbedAsync(texts, EmbeddingPurpose.Document, TestContext.Current.CancellationToken);

        Assert.Equal(inMemory.Model.Id, prepared.Model.Id);
        Assert.DoesNotContain("int8", prepared.Model.Id, StringComparison.Ordinal);
        Assert.Equal(a, b);
        Assert.Single(Directory.GetFiles(_temp.Path, "*-fp32-cls-v*.onnx"));
    }

    public void Dispose() => _temp.Dispose();

    private class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add($"{logLevel} {formatter(state, exception)}");
            }
        }
    }

    private sealed class ListLogger<T> : ListLogger, ILogger<T>;
}
