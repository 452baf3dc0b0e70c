using System.Security.Cryptography;
using System.Text;

namespace CodeGraphRag.Cli.Daemon;

/// <summary>
/// Where the background server of one data directory listens: a Unix socket in <c>&lt;data&gt;/run/</c> (a folder only its
/// owner may enter), named by a hash of the data directory, this build of cgr and its <c>CodeGraphRag__*</c> settings,
/// so a rebuilt cgr or other settings get a server of their own rather than answers from a stale one.
/// </summary>
internal sealed record DaemonEndpoint(string DataDirectory, string Socket, string Lock, string Log)
{
    /// <summary>Longest socket path Linux accepts (sun_path is 108 bytes with its terminating NUL).</summary>
    private const int MaxSocketPath = 107;

    /// <summary>The endpoint for <paramref name="dataDirectory"/>, or null when its path is too long for a Unix socket.</summary>
    public static DaemonEndpoint? For(string dataDirectory)
    {
        var full = Path.GetFullPath(dataDirectory);
        var run = Path.Combine(full, "run");
        var name = Fingerprint(full);
        var socket = Path.Combine(run, name + ".sock");
        return Encoding.UTF8.GetByteCount(socket) > MaxSocketPath || !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()
            ? null
            : new DaemonEndpoint(full, socket, Path.Combine(run, name + ".lock"), Path.Combine(run, name + ".log"));
    }

    /// <summary>Creates <c>run/</c> readable by its owner only (and makes an existing one so).</summary>
    public void EnsureFolder()
    {
        var folder = Path.GetDirectoryName(Socket)!;
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Fingerprint(string dataDirectory)
    {
        var text = new StringBuilder(dataDirectory).Append('\n').Append(typeof(DaemonEndpoint).Assembly.ManifestModule.ModuleVersionId);
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, e.Value as string ?? string.Empty))
            .Where(e => e.Item1.StartsWith("CodeGraphRag__", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            text.Append('\n').Append(key).Append('=').Append(value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
