using Orleans.Storage;

namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// Orleans grain storage in the embedded store's SQLite database (table <c>grain_state</c>), with ETag checks.
/// State is serialised by the silo's <see cref="IGrainStorageSerializer"/> from DI.
/// </summary>
/// <remarks>Register with <c>ISiloBuilder.AddEmbeddedGrainStorage(name)</c>; the store itself comes from <c>AddCodeGraphRagEmbeddedStorage</c>.</remarks>
public sealed class EmbeddedGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly EmbeddedStore _store;
    private readonly IGrainStorageSerializer _serializer;

    /// <summary>Creates the provider <paramref name="name"/> over <paramref name="store"/>.</summary>
    public EmbeddedGrainStorage(string name, EmbeddedStore store, IGrainStorageSerializer serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        _name = name;
        _store = store;
        _serializer = serializer;
    }

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var row = await _store.ReadGrainStateAsync(Key(stateName), grainId.ToString(), CancellationToken.None).ConfigureAwait(false);
        if (row is { } stored)
        {
            grainState.State = _serializer.Deserialize<T>(BinaryData.FromBytes(stored.Payload));
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InconsistentStateException">Another writer changed the state since it was read.</exception>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var payload = _serializer.Serialize(grainState.State).ToArray();
        grainState.ETag = await _store.WriteGrainStateAsync(Key(stateName), grainId.ToString(), grainState.ETag, payload, CancellationToken.None).ConfigureAwait(false);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    /// <exception cref="InconsistentStateException">Another writer changed the state since it was read.</exception>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await _store.ClearGrainStateAsync(Key(stateName), grainId.ToString(), grainState.ETag, CancellationToken.None).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private string Key(string stateName) => $"{_name}/{stateName}";
}
