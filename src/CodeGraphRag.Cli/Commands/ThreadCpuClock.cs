using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// CPU time of the calling thread, for per-core throughput figures that must not include other threads' work (the
/// JIT's background tier-up, GC, the silo's timers). Linux reads <c>CLOCK_THREAD_CPUTIME_ID</c> (nanoseconds);
/// elsewhere it falls back to the whole process's CPU time and says so through <see cref="PerThread"/>.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether <see cref="Now"/> measures the calling thread only (false: the whole process).</summary>
    public static bool PerThread { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>CPU time used so far by the calling thread (or the process, where <see cref="PerThread"/> is false).</summary>
    public static TimeSpan Now()
    {
        if (PerThread && TryRead(out var elapsed))
        {
            return elapsed;
        }

        using var process = Process.GetCurrentProcess();
        return process.UserProcessorTime + process.PrivilegedProcessorTime;
    }

    private static bool Probe()
    {
        try
        {
            return TryRead(out _);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool TryRead(out TimeSpan elapsed)
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var spec) != 0)
        {
            elapsed = default;
            return false;
        }

        elapsed = TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec spec);
}
