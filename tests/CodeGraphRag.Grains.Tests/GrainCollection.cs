namespace CodeGraphRag.Grains.Tests;

/// <summary>Grain tests run one at a time: each starts a silo and shares the machine's two cores with ONNX inference.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GrainCollection
{
    public const string Name = "grains";
}
