using System.Diagnostics;
using System.Text;

namespace CodeGraphRag.Cli.Tests;

/// <summary>Runs the real <c>cgr</c> program (the built cgr.dll) as a child process.</summary>
internal sealed class CgrProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _firstProgress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, int Occurrences, TaskCompletionSource Done)> _waiters = [];

    private CgrProcess(Process process) => _process = process;

    public static string CgrDll { get; } = Path.Combine(AppContext.BaseDirectory, "cgr.dll");

    /// <summary>Where the test processes keep prepared embedding models (shared across tests and runs).</summary>
    public static string SharedPreparedModels { get; } = Path.Combine(Path.GetTempPath(), "cgr-test-prepared-models");

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Completes when the process prints its first progress line with at least one processed file.</summary>
    public Task FirstProgress => _firstProgress.Task;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when stdout contains <paramref name="text"/> at least <paramref name="occurrences"/> times.</summary>
    public Task WaitForOutputAsync(string text, int occurrences, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            _waiters.Add((text, occurrences, done));
            CheckWaiters();
        }

        return done.Task.WaitAsync(timeout);
    }

    private void CheckWaiters()
    {
        var output = _stdout.ToString();
        foreach (var (text, occurrences, done) in _waiters)
        {
            var count = 0;
            for (var i = output.IndexOf(text, StringComparison.Ordinal); i >= 0; i = output.IndexOf(text, i + text.Length, StringComparison.Ordinal))
            {
                count++;
            }

            if (count >= occurrences)
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>The environment every test's cgr process gets for <paramref name="dataDirectory"/>.</summary>
    public static Dictionary<string, string?> EnvironmentFor(string dataDirectory) => new()
    {
        ["CGR_DATA_DIR"] = dataDirectory,

        // Each call answers in its own process unless a test asks for the background server (CGR_DAEMON=on).
        ["CGR_DAEMON"] = "off",

        // One prepared embedding model for every test process instead of a 90 MB copy in each test's data directory.
        ["CodeGraphRag__Embedding__PreparedModelDirectory"] = SharedPreparedModels,
    };

    public static CgrProcess Start(string dataDirectory, params string[] args) => Start(dataDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts cgr with extra environment variables (configuration such as <c>CodeGraphRag__Storage__Embedded__...</c>).</summary>
    public static CgrProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
        => StartIn(null, dataDirectory, environment, args);

    /// <summary>Starts cgr in <paramref name="workingDirectory"/> (null: this process's), where relative paths in its arguments start.</summary>
    public static CgrProcess StartIn(string? workingDirectory, string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        info.ArgumentList.Add(CgrDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in EnvironmentFor(dataDirectory))
        {
            info.Environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cgr = new CgrProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (cgr._stdout)
            {
                cgr._stdout.AppendLine(e.Data);
                cgr.CheckWaiters();
            }

            if (e.Data.StartsWith('[') && !e.Data.StartsWith("[" + new string('.', 28) + "] 0/", StringComparison.Ordinal))
            {
                cgr._firstProgress.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cgr._stderr)
                {
                    cgr._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cgr;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDirectory, params string[] args) =>
        RunAsync(dataDirectory, new Dictionary<string, string>(), args);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = Start(dataDirectory, environment, args);
        var code = await p.WaitAsync(TimeSpan.FromMinutes(5));
        return (code, p.Stdout, p.Stderr);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"cgr did not exit within {timeout}; stdout: {Stdout}; stderr: {Stderr}");
        }

        // The parameterless overload waits for the redirected streams to drain.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
