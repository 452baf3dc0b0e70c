namespace CodeGraphRag.Hosting;

/// <summary>How an embedded (single-machine) host is set up.</summary>
/// <param name="DataDirectory">The data directory (see <see cref="Hosting.DataDirectory.Resolve"/>).</param>
/// <param name="ReadOnly">Open the stores without the writer lock (search, status).</param>
public sealed record EmbeddedHostSettings(string DataDirectory, bool ReadOnly);
