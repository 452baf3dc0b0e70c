namespace CodeGraphRag.TestInfrastructure;

/// <summary>Values of the <c>Category</c> trait: <c>[Trait("Category", TestCategories.Unit)]</c>.</summary>
public static class TestCategories
{
    /// <summary>Fast, in-process, no I/O beyond temp files.</summary>
    public const string Unit = "Unit";

    /// <summary>Real backends or an in-process cluster.</summary>
    public const string Integration = "Integration";

    /// <summary>Real processes.</summary>
    public const string EndToEnd = "EndToEnd";
}
