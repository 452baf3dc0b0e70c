namespace CodeGraphRag.Abstractions.Grains;

/// <summary>One repository (key: <see cref="GrainKeys.Repository"/>): walks the tree, diffs the manifest, drives file grains, removes deleted files.</summary>
[Alias("cgr.IRepositoryGrain")]
public interface IRepositoryGrain : IGrainWithStringKey
{
    /// <summary>Starts a sync (or returns the running one's progress) and returns promptly.</summary>
    [Alias("StartSync")]
    Task<SyncProgress> StartSyncAsync(SyncRequest request);

    /// <summary>The running or last sync's progress.</summary>
    [Alias("GetProgress")]
    Task<SyncProgress> GetProgressAsync();

    /// <summary>Asks a running sync to stop between files; already written files stay written.</summary>
    [Alias("Cancel")]
    Task CancelAsync();

    /// <summary>Removes the repository from every store (cancelling a running sync first).</summary>
    [Alias("Remove")]
    Task RemoveAsync();
}
