using CodeGraphRag.Api;
using CodeGraphRag.Cli.CommandLine;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr serve</c>: the server host (an Orleans silo with the codegraphrag.v1 gRPC API, health endpoints and webhooks) in
/// this process, on the embedded stores of <c>--data-dir</c> unless configured otherwise. Every other argument is
/// configuration in the host's syntax (<c>--CodeGraphRag:Server:GrpcPort=5000</c>), as are the <c>CodeGraphRag__*</c>
/// environment variables. <c>--doc-vectors synthetic</c> (benchmarks only, e.g. a fleet through a cluster) gives documents
/// the seeded vectors of <c>cgr bench --doc-vectors synthetic</c> under their own model id; queries are still embedded.
/// </summary>
internal static class ServeCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (hostArgs, synthetic) = HostArguments(args);
        if (synthetic)
        {
            Console.Error.WriteLine("cgr serve: SYNTHETIC document vectors (--doc-vectors synthetic, model id suffix "
                + SyntheticDocumentEmbedder.ModelSuffix + "): for benchmarks only; dense hits are arbitrary chunks");
        }

        return CodeGraphRagServer.RunAsync([.. hostArgs], synthetic ? BenchCommand.UseSyntheticDocumentVectors : null, cancellationToken);
    }

    /// <summary>The host's arguments (<c>--data-dir</c> translated, <c>--verbose</c> dropped) and whether document vectors are synthetic.</summary>
    internal static (List<string> HostArgs, bool Synthetic) HostArguments(string[] args)
    {
        var hostArgs = new List<string>();
        var synthetic = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--doc-vectors" || args[i].StartsWith("--doc-vectors=", StringComparison.Ordinal))
            {
                var value = args[i] == "--doc-vectors" ? (i + 1 < args.Length ? args[++i] : string.Empty) : args[i]["--doc-vectors=".Length..];
                synthetic = value switch
                {
                    "synthetic" => true,
                    "real" => false,
                    _ => throw CliException.Usage($"--doc-vectors must be 'real' or 'synthetic' (got '{value}')"),
                };
            }
            else if (args[i] == "--data-dir" && i + 1 < args.Length)
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

        return (hostArgs, synthetic);
    }
}
