using Orleans.Storage;

namespace CodeGraphRag.Storage.Embedded;

/// <content>Grain state rows with optimistic concurrency (ETags), used by <see cref="EmbeddedGrainStorage"/>.</content>
public sealed partial class EmbeddedStore
{
    internal Task<(string ETag, byte[] Payload)?> ReadGrainStateAsync(string stateName, string grainId, CancellationToken cancellationToken) =>
        RunAsync("ReadGrainState", cancellationToken, () =>
        {
            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                "SELECT etag, payload FROM grain_state WHERE state_name = $s AND grain_id = $g",
                ("$s", stateName),
                ("$g", grainId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ((string, byte[])?)(reader.GetString(0), (byte[])reader.GetValue(1)) : null;
        });

    /// <summary>Writes the state when the stored ETag equals <paramref name="expectedETag"/> (null: no row yet); returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs.</exception>
    internal Task<string> WriteGrainStateAsync(string stateName, string grainId, string? expectedETag, byte[] payload, CancellationToken cancellationToken) =>
        RunAsync("WriteGrainState", cancellationToken, () =>
        {
            EnsureWritable("WriteGrainState");
            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                CheckETag(connection, transaction, stateName, grainId, expectedETag);
                var etag = Guid.NewGuid().ToString("N");
                Execute(
                    connection,
                    transaction,
                    "INSERT OR REPLACE INTO grain_state(state_name, grain_id, etag, payload) VALUES ($s, $g, $e, $p)",
                    ("$s", stateName),
                    ("$g", grainId),
                    ("$e", etag),
                    ("$p", payload));
                transaction.Commit();
                return etag;
            }
        });

    /// <summary>Deletes the state when the stored ETag equals <paramref name="expectedETag"/>.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs.</exception>
    internal Task ClearGrainStateAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken) =>
        RunAsync("ClearGrainState", cancellationToken, () =>
        {
            EnsureWritable("ClearGrainState");
            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                CheckETag(connection, transaction, stateName, grainId, expectedETag);
                Execute(connection, transaction, "DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g", ("$s", stateName), ("$g", grainId));
                transaction.Commit();
            }

            return true;
        });

    private static void CheckETag(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string stateName, string grainId, string? expectedETag)
    {
        using var command = Command(
            connection,
            transaction,
            "SELECT etag FROM grain_state WHERE state_name = $s AND grain_id = $g",
            ("$s", stateName),
            ("$g", grainId));
        var stored = command.ExecuteScalar() as string;
        if (stored != expectedETag)
        {
            throw new InconsistentStateException(
                $"ETag mismatch for grain {grainId} state {stateName}: stored {stored ?? "(none)"}, given {expectedETag ?? "(none)"}.",
                stored ?? string.Empty,
                expectedETag ?? string.Empty);
        }
    }
}
