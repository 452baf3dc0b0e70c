using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Sources;

/// <summary>
/// Remote git sources: a bare mirror per URL in a cache directory, cloned on first use and fetched on every sync, which
/// <see cref="GitRevisionSnapshot"/> then reads. A silo that has no mirror yet (a repository grain that moved) simply clones
/// again. Credentials in URLs are never put in messages.
/// </summary>
public static partial class GitMirror
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>True for sources that name a remote repository rather than a local folder (https, http, ssh, git, file URLs and scp-like <c>user@host:path</c>).</summary>
    public static bool IsRemote(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("file://", StringComparison.OrdinalIgnoreCase)
            || ScpLike().IsMatch(source);
    }

    /// <summary>The URL with any user name, password or token removed (<c>https://***@host/...</c>), safe to log and return.</summary>
    public static string Redact(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return UserInfo().Replace(source, "${scheme}***@");
    }

    /// <summary>
    /// Makes the mirror of <paramref name="url"/> under <paramref name="cacheDirectory"/> current (clone or fetch with prune)
    /// and returns its path.
    /// </summary>
    /// <exception cref="SourceSnapshotException">git failed; the message names the redacted URL and git's first error line.</exception>
    public static async Task<string> UpdateAsync(string url, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        if (!IsRemote(url))
        {
            throw new SourceSnapshotException($"'{url}' is not a git URL.");
        }

        Directory.CreateDirectory(cacheDirectory);
        var mirror = Path.Combine(Path.GetFullPath(cacheDirectory), MirrorName(url));
        var gate = Gates.GetOrAdd(mirror, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Directory.Exists(Path.Combine(mirror, "objects")))
            {
                await RunAsync(mirror, ["fetch", "--prune", "--force", "--quiet", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], url, "fetch", cancellationToken).ConfigureAwait(false);
                return mirror;
            }

            // Clone beside the final path and rename, so a crash or a concurrent silo never leaves a half-cloned mirror in place.
            var staging = mirror + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            try
            {
                await RunAsync(cacheDirectory, ["clone", "--mirror", "--quiet", "--", url, staging], url, "clone", cancellationToken).ConfigureAwait(false);
                if (Directory.Exists(mirror))
                {
                    Directory.Delete(mirror, recursive: true);
                }

                Directory.Move(staging, mirror);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            return mirror;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The revision to index: an explicit one, else the branch head, else the remote's default branch.</summary>
    public static string Revision(string? revision, string? branch)
    {
        if (!string.IsNullOrWhiteSpace(revision))
        {
            return revision;
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            return "HEAD";
        }

        if (branch.StartsWith('-') || branch.Contains("..", StringComparison.Ordinal))
        {
            throw new SourceSnapshotException($"Branch '{branch}' is not a valid branch name.");
        }

        return branch.StartsWith("refs/", StringComparison.Ordinal) ? branch : "refs/heads/" + branch;
    }

    private static async Task RunAsync(string directory, string[] arguments, string url, string operation, CancellationToken cancellationToken)
    {
        var (exitCode, _, error) = await GitProcess.RunAsync(directory, arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var firstLine = GitProcess.FirstLine(error).Replace(url, Redact(url), StringComparison.Ordinal);
            throw new SourceSnapshotException($"git {operation} of '{Redact(url)}' failed: {Redact(firstLine)}");
        }
    }

    private static string MirrorName(string url)
    {
        var canonical = Redact(url).TrimEnd('/');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..16];
        var tail = canonical[(canonical.LastIndexOfAny(['/', ':']) + 1)..];
        tail = Unsafe().Replace(tail.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? tail[..^4] : tail, "_");
        return (tail.Length > 40 ? tail[..40] : tail) + "-" + hash + ".git";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/\\]")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
