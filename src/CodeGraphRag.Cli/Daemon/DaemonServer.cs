using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CodeGraphRag.Cli.CommandLine;

namespace CodeGraphRag.Cli.Daemon;

/// <summary>
/// <c>cgr daemon run</c>: the background server of one data directory. It keeps a read-only session open (silo, model and
/// ANN index loaded; it follows what <c>cgr index</c> writes) and runs the read-only commands that clients send over its
/// Unix socket with the same code as a one-shot <c>cgr</c>, so answers are byte for byte the same, and <c>cgr index</c> in a
/// writer session of its own (see <see cref="IndexAsync"/>). It exits after
/// <see cref="DaemonClient.IdleTimeout"/> without requests, on <c>cgr daemon stop</c>, or on SIGTERM.
/// </summary>
internal static class DaemonServer
{
    public static async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var dataDirectory = CodeGraphRag.Hosting.DataDirectory.Resolve(args.Value("data-dir"));
        var endpoint = DaemonEndpoint.For(dataDirectory)
            ?? throw new CliException($"the data directory's path is too long for a Unix socket ({dataDirectory}); use --no-daemon");
        endpoint.EnsureFolder();
        var idleTimeout = DaemonClient.IdleTimeout();
        await using var session = await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var state = new State(Environment.ProcessId, session.DataDirectory, TimeProvider.System.GetUtcNow(), idleTimeout);

        // The client that started this server holds the start lock, so a socket file here is a dead server's.
        File.Delete(endpoint.Socket);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(endpoint.Socket));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(endpoint.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        listener.Listen(64);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr daemon: pid {state.Pid} serving {state.DataDirectory} on {endpoint.Socket}; exits after {idleTimeout.TotalSeconds:0}s idle"));

        var idle = WatchIdleAsync(state, stop);
        var connections = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(stop.Token);
                lock (connections)
                {
                    connections.RemoveAll(t => t.IsCompleted);
                    connections.Add(ServeAsync(client, session, state, stop));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            // CGR: unlink before closing, so a client arriving now starts a new server instead of racing this one's exit
            // (closing first could let this server delete the new one's socket).
            File.Delete(endpoint.Socket);
            listener.Close();
        }

        Task[] pending;
        lock (connections)
        {
            pending = [.. connections];
        }

        await Task.WhenAll(pending);
        await idle.ContinueWith(_ => { }, TaskScheduler.Default);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr daemon: pid {state.Pid} stopped after {state.Requests} requests"));
        return 0;
    }

    private static async Task ServeAsync(Socket client, EmbeddedSession session, State state, CancellationTokenSource stop)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            if (await DaemonProtocol.ReadRequestAsync(stream, stop.Token) is not { } request)
            {
                return;
            }

            state.Begin();
            try
            {
                if (request.Kind == "index")
                {
                    await IndexAsync(stream, request, state, stop.Token);
                }
                else
                {
                    var (exit, stdout, stderr) = request.Kind switch
                    {
                        "run" => await RunCommandAsync(request.Args, session),
                        "ping" or "stop" => (0, string.Empty, string.Empty),
                        _ => (2, string.Empty, $"cgr: '{request.Kind}' is not a request this server knows\n"),
                    };
                    await DaemonProtocol.WriteAsync(stream, state.Response(exit, stdout, stderr), CancellationToken.None);
                }
            }
            finally
            {
                state.End(counted: request.Kind is "run" or "index");
            }

            if (request.Kind == "stop")
            {
                await stop.CancelAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or System.Text.Json.JsonException or OperationCanceledException)
        {
            // A client that went away or spoke something else; the server goes on.
        }
    }

    /// <summary>
    /// Runs <c>cgr index</c> for a client: its own writer session (the writer lock, as a one-shot <c>cgr index</c> takes
    /// it) beside the resident read-only one, which follows what it writes; output streams back as it is written. The
    /// client shutting down its side (Ctrl-C, SIGTERM) or going away cancels it between files, like Ctrl-C in-process; so
    /// does this server stopping (<paramref name="stopping"/>: <c>cgr daemon stop</c>, SIGTERM).
    /// </summary>
    private static async Task IndexAsync(NetworkStream stream, DaemonRequest request, State state, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var watch = WatchForCancelAsync(stream, cancel);
        var sink = new DaemonOutputSink(stream, state.Output, cancel);
        using var stdout = sink.Writer(toStderr: false);
        using var stderr = sink.Writer(toStderr: true);
        var args = request.Args.Skip(1).ToArray();
        int exit;
        try
        {
            var parsed = ParsedArgs.Parse(args, Commands.IndexCommand.Values, Commands.IndexCommand.Flags);
            exit = await Commands.IndexCommand.RunAsync(parsed, stdout, new Commands.IndexConsole(request.Terminal, request.WorkingDirectory), cancel.Token);
        }
        catch (Exception ex)
        {
            exit = CliApp.Report(ex, stderr, [.. request.Args], cancel.IsCancellationRequested);
        }

        await stdout.FlushAsync(CancellationToken.None);
        await stderr.FlushAsync(CancellationToken.None);
        sink.Finish(state.Response(exit, string.Empty, string.Empty));
        await cancel.CancelAsync();
        await watch;
    }

    /// <summary>Cancels <paramref name="cancel"/> when the client shuts down its sending side or goes away.</summary>
    private static async Task WatchForCancelAsync(NetworkStream stream, CancellationTokenSource cancel)
    {
        try
        {
            var buffer = new byte[1];
            while (await stream.ReadAsync(buffer, cancel.Token) > 0)
            {
                // A client sends nothing after its request; stray bytes change nothing.
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (!cancel.IsCancellationRequested)
        {
            await cancel.CancelAsync();
        }
    }

    /// <summary>Runs a read-only command on the resident session, capturing what it writes.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunCommandAsync(IReadOnlyList<string> args, EmbeddedSession session)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int exit;
        if (args.Count == 0 || !CliApp.ReadCommands.Contains(args[0]))
        {
            stderr.WriteLine($"cgr: the background server answers {string.Join(", ", CliApp.ReadCommands)} only");
            exit = 2;
        }
        else
        {
            var rest = args.Skip(1).ToArray();
            try
            {
                exit = await CliApp.RunReadCommandAsync(args[0], rest, stdout, stderr, session, CancellationToken.None);
            }
            catch (Exception ex)
            {
                exit = CliApp.Report(ex, stderr, [.. args], cancelled: false);
            }
        }

        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task WatchIdleAsync(State state, CancellationTokenSource stop)
    {
        var check = TimeSpan.FromTicks(Math.Clamp(state.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(check);
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            if (state.IdleFor() >= state.IdleTimeout)
            {
                await stop.CancelAsync();
                return;
            }
        }
    }

    /// <summary>What the server tracks: requests in flight, the last activity, the count answered.</summary>
    private sealed class State(int pid, string dataDirectory, DateTimeOffset startedAt, TimeSpan idleTimeout)
    {
        private readonly Lock _gate = new();
        private long _lastActivity = Stopwatch.GetTimestamp();
        private int _active;
        private long _requests;

        public int Pid { get; } = pid;

        public string DataDirectory { get; } = dataDirectory;

        public TimeSpan IdleTimeout { get; } = idleTimeout;

        public long Requests => Interlocked.Read(ref _requests);

        public void Begin()
        {
            lock (_gate)
            {
                _active++;
            }
        }

        public void End(bool counted)
        {
            lock (_gate)
            {
                _active--;
                _lastActivity = Stopwatch.GetTimestamp();
            }

            if (counted)
            {
                Interlocked.Increment(ref _requests);
            }
        }

        /// <summary>How long no request has been in flight (zero while one is).</summary>
        public TimeSpan IdleFor()
        {
            lock (_gate)
            {
                return _active > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_lastActivity);
            }
        }

        /// <summary>Output of a command still running (an <c>index</c>), sent as it is written.</summary>
        public DaemonResponse Output(string stdout, string stderr) => Response(0, stdout, stderr) with { More = true };

        public DaemonResponse Response(int exit, string stdout, string stderr)
        {
            double idleSeconds;
            lock (_gate)
            {
                idleSeconds = Stopwatch.GetElapsedTime(_lastActivity).TotalSeconds;
            }

            return new DaemonResponse(exit, stdout, stderr, Pid, DataDirectory, startedAt, idleSeconds, IdleTimeout.TotalSeconds, Requests);
        }
    }
}
