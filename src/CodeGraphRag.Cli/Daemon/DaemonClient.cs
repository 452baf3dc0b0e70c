using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;

using CodeGraphRag.Cli.Output;

namespace CodeGraphRag.Cli.Daemon;

/// <summary>
/// Sends read-only commands and <c>index</c> to the data directory's background server, starting it on first use. Every
/// failure to reach one (none can start, it died before answering, the path is too long) falls back to answering in
/// this process, so the background server only ever makes a command faster. Off with <c>--no-daemon</c>, <c>--verbose</c> (its logs are
/// this process's) or <c>CGR_DAEMON=off</c>.
/// </summary>
internal static class DaemonClient
{
    /// <summary>Idle time after which a background server exits: <c>CGR_DAEMON_IDLE_SECONDS</c>, default 15 minutes.</summary>
    public static TimeSpan IdleTimeout() =>
        double.TryParse(Environment.GetEnvironmentVariable("CGR_DAEMON_IDLE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(15);

    /// <summary>How long a client waits for a server it started to listen.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Whether this call may use a background server.</summary>
    public static bool Enabled(IReadOnlyList<string> args)
    {
        var setting = Environment.GetEnvironmentVariable("CGR_DAEMON")?.Trim().ToLowerInvariant();
        return setting is not ("off" or "0" or "false" or "no") && !args.Contains("--no-daemon") && !args.Contains("--verbose");
    }

    /// <summary>The command's exit code as the background server answered it, or null to answer in this process.</summary>
    public static async Task<int?> TryRunAsync(string command, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        DaemonResponse? response;
        try
        {
            await using var stream = await ConnectForAsync(args, stderr, cancellationToken);
            if (stream is null)
            {
                return null;
            }

            await DaemonProtocol.WriteAsync(stream, new DaemonRequest("run", [command, .. args]), cancellationToken);
            response = await DaemonProtocol.ReadResponseAsync(stream, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or System.Text.Json.JsonException)
        {
            // The server went away mid-request (idle exit, stop, kill): nothing was written yet, so answer here.
            return null;
        }

        if (response is null)
        {
            return null;
        }

        // Written outside the fallback: a failed write to stdout must not run the command a second time.
        await stdout.WriteAsync(response.Stdout);
        await stderr.WriteAsync(response.Stderr);
        return response.ExitCode;
    }

    /// <summary>
    /// <c>cgr index</c> run by the background server (which takes the writer lock for it, as this process would), its
    /// output shown as it comes; cancelling (Ctrl-C, SIGTERM) asks the server to stop between files and waits for its
    /// summary. Null to index in this process: no server could serve the data directory, or it went away before it began.
    /// </summary>
    public static async Task<int?> TryIndexAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        NetworkStream? stream = null;
        var began = false;
        try
        {
            stream = await ConnectForAsync(args, stderr, cancellationToken);
            if (stream is null)
            {
                return null;
            }

            var request = new DaemonRequest("index", ["index", .. args], ProgressRenderer.IsTerminal(stdout), Environment.CurrentDirectory);
            await DaemonProtocol.WriteAsync(stream, request, cancellationToken);
            var connection = stream;
            // CGR: the request is out, so cancelling now stops the server's index rather than this wait: shut down the
            // sending side (the server cancels between files) and go on reading until its summary and exit code.
            await using var cancel = cancellationToken.Register(() =>
            {
                try
                {
                    connection.Socket.Shutdown(SocketShutdown.Send);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
            });
            while (await DaemonProtocol.ReadResponseAsync(stream, CancellationToken.None) is { } response)
            {
                began = true;
                await stdout.WriteAsync(response.Stdout);
                await stderr.WriteAsync(response.Stderr);
                if (!response.More)
                {
                    return response.ExitCode;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or System.Text.Json.JsonException)
        {
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        if (!began)
        {
            return null;
        }

        // CGR: a sync stopped mid-way resumes on the next run; running it here now could race the server's writer lock.
        await stderr.WriteLineAsync("cgr: the background server stopped during the index; run 'cgr index' again to resume it");
        return 1;
    }

    /// <summary>A connection to the data directory's server (started if need be), or null to answer in this process.</summary>
    private static async Task<NetworkStream?> ConnectForAsync(string[] args, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!Enabled(args) || Endpoint(args) is not { } endpoint || !CodeGraphRag.Storage.Embedded.EmbeddedStore.IndexExists(endpoint.DataDirectory))
        {
            // No index yet (a first `cgr index`, or a read command that then says so in its usual words): this process.
            return null;
        }

        return await ConnectOrStartAsync(endpoint, stderr, cancellationToken);
    }

    /// <summary>The running server's state, or null when none serves the data directory.</summary>
    public static async Task<DaemonResponse?> PingAsync(string[] args, CancellationToken cancellationToken) => await SendAsync(args, "ping", cancellationToken);

    /// <summary>Stops the data directory's background server if one runs and waits for its socket to go; true if one did.</summary>
    public static async Task<bool> StopAsync(string[] args, CancellationToken cancellationToken)
    {
        if (await SendAsync(args, "stop", cancellationToken) is null)
        {
            return false;
        }

        var endpoint = Endpoint(args)!;
        var clock = Stopwatch.StartNew();
        while (File.Exists(endpoint.Socket) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    private static async Task<DaemonResponse?> SendAsync(string[] args, string kind, CancellationToken cancellationToken)
        => Endpoint(args) is { } endpoint ? await SendAsync(endpoint.Socket, kind, cancellationToken) : null;

    /// <summary>Sends a request that carries no command; null when no server listens on <paramref name="socketPath"/> or it went away.</summary>
    private static async Task<DaemonResponse?> SendAsync(string socketPath, string kind, CancellationToken cancellationToken)
    {
        if (await ConnectAsync(socketPath, cancellationToken) is not { } stream)
        {
            return null;
        }

        await using (stream)
        {
            try
            {
                await DaemonProtocol.WriteAsync(stream, new DaemonRequest(kind, []), cancellationToken);
                return await DaemonProtocol.ReadResponseAsync(stream, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                return null;
            }
        }
    }

    private static DaemonEndpoint? Endpoint(IReadOnlyList<string> args)
        => CliApp.DataDirectoryArgument(args) is { } dataDirectory ? DaemonEndpoint.For(dataDirectory) : null;

    private static async Task<NetworkStream?> ConnectOrStartAsync(DaemonEndpoint endpoint, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (await ConnectAsync(endpoint.Socket, cancellationToken) is { } running)
        {
            return running;
        }

        endpoint.EnsureFolder();
        using var startLock = await LockAsync(endpoint.Lock, cancellationToken);
        if (startLock is null)
        {
            return null;
        }

        // Another client may have started it while this one waited for the lock.
        if (await ConnectAsync(endpoint.Socket, cancellationToken) is { } started)
        {
            return started;
        }

        await StopOthersAsync(endpoint, cancellationToken);
        var pid = await StartAsync(endpoint, cancellationToken);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            await Task.Delay(50, cancellationToken);
            if (await ConnectAsync(endpoint.Socket, cancellationToken) is { } stream)
            {
                return stream;
            }

            if (!IsRunning(pid))
            {
                // It stopped at start (a damaged index, say): the one-shot command says why in its usual words.
                await stderr.WriteLineAsync($"cgr: the background server stopped as it started (its log: {endpoint.Log}); answering in this process");
                return null;
            }
        }

        await stderr.WriteLineAsync($"cgr: the background server did not start within {StartTimeout.TotalSeconds:0}s (its log: {endpoint.Log}); answering in this process");
        return null;
    }

    /// <summary>
    /// Stops the servers of this data directory that an older build of cgr or other settings started: one server per data
    /// directory, so a rebuilt cgr does not leave the previous one holding its memory until it idles out.
    /// </summary>
    private static async Task StopOthersAsync(DaemonEndpoint endpoint, CancellationToken cancellationToken)
    {
        foreach (var other in Directory.EnumerateFiles(Path.GetDirectoryName(endpoint.Socket)!, "*.sock").Where(s => s != endpoint.Socket))
        {
            if (await SendAsync(other, "stop", cancellationToken) is null)
            {
                // Nothing listens there: a dead server's socket.
                File.Delete(other);
            }
        }
    }

    /// <summary>A connection to the socket, or null when nothing listens there (no file, or a dead server's file).</summary>
    private static async Task<NetworkStream?> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>The start lock (one client starts a server at a time), or null when it cannot be had within the start timeout.</summary>
    private static async Task<FileStream?> LockAsync(string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < StartTimeout)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>How to run this cgr again: its executable, and cgr.dll when the executable is the dotnet host.</summary>
    public static IReadOnlyList<string> CgrCommandLine()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry ? [host, entry] : [host];
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts <c>cgr daemon run</c> in a session of its own (Ctrl-C at this terminal does not reach it), in the data
    /// directory, logging to its log file; returns its process id.
    /// </summary>
    private static async Task<int> StartAsync(DaemonEndpoint endpoint, CancellationToken cancellationToken)
    {
        // CGR: sh runs no job control, so the background job is not a group leader and setsid execs in place: $! is the server.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = endpoint.DataDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("setsid \"$@\" </dev/null >>\"$CGR_DAEMON_LOG\" 2>&1 & echo $!");
        info.ArgumentList.Add("cgr-daemon");
        foreach (var part in CgrCommandLine())
        {
            info.ArgumentList.Add(part);
        }

        info.ArgumentList.Add("daemon");
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(endpoint.DataDirectory);
        info.Environment["CGR_DAEMON_LOG"] = endpoint.Log;
        if (File.Exists(endpoint.Log) && new FileInfo(endpoint.Log).Length > 1024 * 1024)
        {
            File.Delete(endpoint.Log);
        }

        using var shell = Process.Start(info) ?? throw new IOException("could not start /bin/sh");
        var pid = (await shell.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
        await shell.WaitForExitAsync(cancellationToken);
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new IOException($"could not start the background server ({pid})");
    }
}
