using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.EndToEnd.Tests;

/// <summary>One real silo process: <c>cgr serve</c> (the built cgr.dll) with its configuration in environment variables.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(string name, Process process, int grpcPort, int httpPort)
    {
        Name = name;
        _process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public static string CgrDll { get; } = Path.Combine(AppContext.BaseDirectory, "cgr.dll");

    public string Name { get; }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    public bool HasExited => _process.HasExited;

    /// <summary>The exit status once exited (128 + signal number for a process killed by a signal).</summary>
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a silo with <paramref name="settings"/> plus its own ports; call <see cref="WaitReadyAsync"/> next.</summary>
    public static ServerProcess Start(string name, IReadOnlyDictionary<string, string> settings)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CgrDll);
        info.ArgumentList.Add("serve");
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["CodeGraphRag__Server__GrpcPort"] = grpcPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["CodeGraphRag__Server__HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["CodeGraphRag__Cluster__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["CodeGraphRag__Cluster__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["CodeGraphRag__Cluster__AdvertisedAddress"] = "127.0.0.1";
        info.Environment["CodeGraphRag__Server__AllowedRoots"] = Fixtures.ServerAllowedRoots;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, grpcPort, httpPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls the readiness endpoint until the silo has joined the cluster and serves gRPC.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo {Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine; ask again.
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"silo {Name} was not ready within {timeout}:\n{Output}");
            }

            await ticks.WaitForNextTickAsync();
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no graceful shutdown, no membership goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop gracefully (SIGTERM) and waits for it.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
