namespace CodeGraphRag.Cli.CommandLine;

/// <summary>An error shown to the user as one line (what, which path or option, what to do), with a non-zero exit.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    /// <summary>Process exit code: 1 for runtime errors, 2 for usage errors.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A usage error (exit code 2).</summary>
    public static CliException Usage(string message) => new(message, 2);
}
