using CodeGraphRag.Api;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr serve</c>: the server host (an Orleans silo with the codegraphrag.v1 gRPC API, health endpoints and webhooks) in
/// this process, on the embedded stores of <c>--data-dir</c> unless configured otherwise. Every other argument is
/// configuration in the host's syntax (<c>--CodeGraphRag:Server:GrpcPort=5000</c>), as are the <c>CodeGraphRag__*</c>
/// environment variables.
/// </summary>
internal static class ServeCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data-dir" && i + 1 < args.Length)
            {
                hostArgs.Add("--CodeGraphRag:Storage:Embedded:DataDirectory=" + Path.GetFullPath(args[++i]));
            }
            else if (args[i].StartsWith("--data-dir=", StringComparison.Ordinal))
            {
                hostArgs.Add("--CodeGraphRag:Storage:Embedded:DataDirectory=" + Path.GetFullPath(args[i]["--data-dir=".Length..]));
            }
            else if (args[i] != "--verbose")
            {
                hostArgs.Add(args[i]);
            }
        }

        return CodeGraphRagServer.RunAsync([.. hostArgs], cancellationToken);
    }
}
