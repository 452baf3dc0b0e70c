using System.Globalization;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Daemon;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr daemon status|stop</c> (and <c>run</c>, which clients start): the data directory's background server.</summary>
internal static class DaemonCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        string[] raw = args.Value("data-dir") is { } dataDirectory ? ["--data-dir", dataDirectory] : [];
        switch (args.Single("status, stop or run"))
        {
            case "run":
                return await DaemonServer.RunAsync(args, cancellationToken);
            case "status":
                if (await DaemonClient.PingAsync(raw, cancellationToken) is { } state)
                {
                    var up = TimeProvider.System.GetUtcNow() - state.StartedAt;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"running: pid {state.Pid}, serving {state.DataDirectory}, up {up.TotalSeconds:0}s, idle {state.IdleSeconds:0}s of {state.IdleTimeoutSeconds:0}s, {state.Requests} commands answered"));
                }
                else
                {
                    stdout.WriteLine("not running (the next search, context, status or repos starts it)");
                }

                return 0;
            case "stop":
                stdout.WriteLine(await DaemonClient.StopAsync(raw, cancellationToken) ? "stopped" : "not running");
                return 0;
            case var other:
                throw CliException.Usage($"'cgr daemon {other}': use 'cgr daemon status' or 'cgr daemon stop'");
        }
    }
}
