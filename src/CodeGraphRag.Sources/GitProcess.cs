using System.ComponentModel;
using System.Diagnostics;

namespace CodeGraphRag.Sources;

/// <summary>Runs the git command line.</summary>
internal static class GitProcess
{
    public static ProcessStartInfo StartInfo(string repository, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(repository);
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("core.quotePath=false");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        return info;
    }

    public static Process Start(string repository, IEnumerable<string> arguments)
    {
        try
        {
            return Process.Start(StartInfo(repository, arguments))
                ?? throw new SourceSnapshotException("Could not start git; install git and make sure it is on PATH.");
        }
        catch (Win32Exception ex)
        {
            throw new SourceSnapshotException("git was not found; install git and make sure it is on PATH (needed for --rev).", ex);
        }
    }

    /// <summary>Runs git to completion and returns its exit code, stdout bytes and stderr text.</summary>
    public static async Task<(int ExitCode, byte[] Output, string Error)> RunAsync(string repository, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(repository, arguments);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await Task.WhenAll(copy, error).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, output.ToArray(), (await error.ConfigureAwait(false)).Trim());
    }

    public static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
