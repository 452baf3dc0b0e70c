using System.Runtime.InteropServices;

namespace CodeGraphRag.Cli.Tests;

/// <summary>Sends POSIX signals to child processes (Process.Kill only sends SIGKILL).</summary>
internal static partial class Signals
{
    public const int Sigterm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
