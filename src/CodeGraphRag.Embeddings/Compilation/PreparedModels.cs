using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Prepared models kept in a directory (hosts use <c>&lt;data&gt;/models</c>), one file per (source model hash, target,
/// compiler version) with a sidecar holding the prepared file's SHA-256. A later start loads the file without compiling;
/// a file whose hash does not match, or that ONNX Runtime fails to load, is compiled again (with a log line), never used.
/// </summary>
public static partial class PreparedModels
{
    /// <summary>The file a prepared model of <paramref name="source"/> for <paramref name="target"/> is kept in.</summary>
    public static string FileName(ReadOnlySpan<byte> source, ModelTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var hash = Convert.ToHexStringLower(SHA256.HashData(source))[..16];
        return $"{hash}-{target.Name}-v{ModelCompiler.Version}.onnx";
    }

    /// <summary>
    /// The prepared model: read from <paramref name="directory"/> when a sound copy is there, otherwise compiled (and
    /// written there when <paramref name="directory"/> is set and writable).
    /// </summary>
    /// <param name="source">The source ONNX model.</param>
    /// <param name="target">What to compile for.</param>
    /// <param name="directory">Where prepared models are kept; null compiles in memory every time.</param>
    /// <param name="logger">Receives a line when a model is compiled, rebuilt or cannot be kept.</param>
    /// <param name="rebuild">Ignore a kept copy (it failed to load) and compile again.</param>
    public static byte[] GetOrCompile(byte[] source, ModelTarget target, string? directory, ILogger logger, bool rebuild = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrEmpty(directory))
        {
            return ModelCompiler.Compile(source, target);
        }

        var path = Path.Combine(directory, FileName(source, target));
        var sidecar = path + ".sha256";
        if (!rebuild && File.Exists(path))
        {
            var kept = File.ReadAllBytes(path);
            var expected = File.Exists(sidecar) ? File.ReadAllText(sidecar).Trim() : string.Empty;
            if (string.Equals(expected, Convert.ToHexStringLower(SHA256.HashData(kept)), StringComparison.Ordinal))
            {
                return kept;
            }

            LogDamaged(logger, path);
        }
        else if (rebuild)
        {
            LogRebuilding(logger, path);
        }

        var started = TimeProvider.System.GetTimestamp();
        var compiled = ModelCompiler.Compile(source, target);
        try
        {
            // Owner-only like every file of the data directory.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // Unique temporary names: two processes (a search beside an index) may prepare the same model at once.
            var unique = $".{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
            WritePrivate(path + unique, compiled);
            WritePrivate(sidecar + unique, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(compiled))));
            File.Move(path + unique, path, overwrite: true);
            File.Move(sidecar + unique, sidecar, overwrite: true);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            LogCompiled(logger, target.Name, path, elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNotKept(logger, path, ex.Message);
        }

        return compiled;
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prepared the embedding model for {Target} in {ElapsedMs:0} ms: {Path}")]
    private static partial void LogCompiled(ILogger logger, string target, string path, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prepared embedding model {Path} does not match its recorded hash; compiling it again")]
    private static partial void LogDamaged(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prepared embedding model {Path} failed to load; compiling it again")]
    private static partial void LogRebuilding(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not keep the prepared embedding model at {Path} ({Reason}); it is compiled again at the next start")]
    private static partial void LogNotKept(ILogger logger, string path, string reason);
}
