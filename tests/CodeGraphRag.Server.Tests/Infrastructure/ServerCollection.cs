namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>Server tests run one class at a time: each class starts a server with a silo and an ONNX model on a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerCollection
{
    public const string Name = "server";
}
