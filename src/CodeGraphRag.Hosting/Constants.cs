namespace CodeGraphRag.Hosting;

/// <summary>Names shared by the hosts.</summary>
public static class Constants
{
    /// <summary>The grain storage provider name every grain uses.</summary>
    public const string GrainStorage = "cgr";

    /// <summary>Orleans service id of the embedded host.</summary>
    public const string EmbeddedServiceId = "codegraphrag-embedded";
}
