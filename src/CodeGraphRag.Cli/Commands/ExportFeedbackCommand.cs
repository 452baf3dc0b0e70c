using System.Globalization;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Remote;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr export-feedback [--texts]</c>: the server's query log and feedback (under the data directory) as
/// (query, positive, hard negative) JSONL on stdout, for fine-tuning the embedding model; <c>--texts</c> adds the chunk
/// texts from the index.
/// </summary>
internal static class ExportFeedbackCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "texts" };

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var dataDirectory = Hosting.DataDirectory.Resolve(args.Value("data-dir"));
        var logDirectory = QueryLogFiles.DirectoryOf(dataDirectory);
        if (!Directory.Exists(logDirectory))
        {
            throw new CliException($"no query log in '{logDirectory}': it is written by 'cgr serve' for Search and GetContext calls on this data directory");
        }

        var exporter = new TrainingTripletExporter();
        int written;
        if (args.Flag("texts"))
        {
            await using var session = await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken);
            written = await exporter.ExportAsync(logDirectory, stdout, session.Services.GetRequiredService<IChunkStore>(), cancellationToken);
        }
        else
        {
            written = await exporter.ExportAsync(logDirectory, stdout, null, cancellationToken);
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr: {written} triples"));
        return 0;
    }

    /// <summary><c>cgr export-feedback --server ...</c>: the server's triples (ExportFeedback RPC, admin only), in the same JSONL.</summary>
    public static Task<int> RunRemoteAsync(ParsedArgs args, RemoteBackend backend, TextWriter stdout, CancellationToken cancellationToken)
        => backend.CallAsync(() => RemoteExportAsync(backend.Connection, args, stdout, cancellationToken));

    private static async Task<int> RemoteExportAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var call = connection.Client.ExportFeedback(new V1.ExportFeedbackRequest { IncludeTexts = args.Flag("texts") }, connection.Call(cancellationToken));
        var written = 0;
        await foreach (var t in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var triplet = new TrainingTriplet(t.QueryId, t.Query, t.PositiveId, t.PositiveRank, t.NegativeId, t.NegativeRank,
                t.PositiveText is { Length: > 0 } positive ? positive : null, t.NegativeText is { Length: > 0 } negative ? negative : null);
            await TrainingTripletExporter.WriteJsonLineAsync(triplet, stdout, cancellationToken);
            written++;
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr: {written} triples"));
        return 0;
    }
}
