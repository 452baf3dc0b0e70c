using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Api;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Cli.Tests;

/// <summary><c>cgr serve</c>'s own arguments: <c>--data-dir</c> and the benchmark-only <c>--doc-vectors synthetic</c>.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void HostArguments_DataDirAndDocVectors_TranslatedOrTakenOut()
    {
        var (args, synthetic) = ServeCommand.HostArguments(["--data-dir", "rel/dir", "--doc-vectors", "synthetic", "--verbose", "--CodeGraphRag:Server:GrpcPort=0"]);
        Assert.True(synthetic);
        Assert.Equal(["--CodeGraphRag:Storage:Embedded:DataDirectory=" + Path.GetFullPath("rel/dir"), "--CodeGraphRag:Server:GrpcPort=0"], args);
        Assert.False(ServeCommand.HostArguments(["--doc-vectors=real"]).Synthetic);
        Assert.False(ServeCommand.HostArguments([]).Synthetic);
        var bad = Assert.Throws<CliException>(() => ServeCommand.HostArguments(["--doc-vectors", "fake"]));
        Assert.Contains("--doc-vectors must be 'real' or 'synthetic' (got 'fake')", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task SyntheticDocVectors_ServerEmbedsDocumentsBySeedAndQueriesWithTheModel_UnderItsOwnModelId()
    {
        using var temp = new TempDirectory("cgr-serve-synthetic");
        var builder = CodeGraphRagServer.CreateBuilder([
            "--CodeGraphRag:Server:GrpcPort=0", "--CodeGraphRag:Server:HttpPort=0", "--CodeGraphRag:Server:BindAddress=127.0.0.1",
            "--CodeGraphRag:Cluster:SiloPort=0", "--CodeGraphRag:Cluster:GatewayPort=0",
            "--CodeGraphRag:Storage:Embedded:DataDirectory=" + temp.Path]);
        builder.Logging.ClearProviders();
        BenchCommand.UseSyntheticDocumentVectors(builder.Services);
        await using var app = CodeGraphRagServer.Build(builder);

        var embedder = Assert.IsType<SyntheticDocumentEmbedder>(app.Services.GetRequiredService<IEmbedder>());
        Assert.Equal(embedder.Inner.Model.Id + SyntheticDocumentEmbedder.ModelSuffix, embedder.Model.Id);
        var ct = TestContext.Current.CancellationToken;
        var documents = await embedder.EmbedAsync(["def total(invoice): return sum(invoice)"], EmbeddingPurpose.Document, ct);
        Assert.Equal(SyntheticDocumentEmbedder.Vector("def total(invoice): return sum(invoice)", embedder.Model.Dimensions), documents[0]);
        var query = await embedder.EmbedAsync(["invoice total"], EmbeddingPurpose.Query, ct);
        Assert.Equal((await embedder.Inner.EmbedAsync(["invoice total"], EmbeddingPurpose.Query, ct))[0], query[0]);
    }
}
