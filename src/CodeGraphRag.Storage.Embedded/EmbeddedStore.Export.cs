using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded;

/// <content>Canonical export of the logical state, for "incremental equals rebuild" checks.</content>
public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Dumps files (with their kept counts), chunks (by id), vectors of the configured model (chunk id to base64 float32 bytes), the FTS5 postings
    /// per chunk as the index holds them (term@offset), symbols, calls, imports and inheritance, all sorted, from one snapshot.
    /// </summary>
    /// <param name="repository">One repository, or null for all.</param>
    /// <param name="cancellationToken">Cancels before reading.</param>
    public Task<IndexSnapshot> ExportLogicalStateAsync(string? repository = null, CancellationToken cancellationToken = default) =>
        RunAsync("ExportLogicalState", cancellationToken, () =>
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: true);
            using var stream = new MemoryStream();
            var counts = new int[4];
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                // CGR: with the kept symbol and reference counts, so every incremental == rebuild check also checks them.
                counts[0] = WriteRows(writer, connection, transaction, "files", """
                    SELECT repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count, class,
                        symbol_count, reference_count
                    FROM files WHERE $r IS NULL OR repository = $r ORDER BY repository, path
                    """, repository);
                counts[1] = WriteRows(writer, connection, transaction, "chunks", $"""
                    SELECT {ChunkColumns} FROM chunks c WHERE $r IS NULL OR c.repository = $r ORDER BY c.chunk_id
                    """, repository);
                counts[2] = WriteRows(writer, connection, transaction, "vectors", """
                    SELECT v.chunk_id, v.embedding_key, v.vector FROM vectors v JOIN chunks c ON c.chunk_id = v.chunk_id
                    WHERE v.model_id = $m AND ($r IS NULL OR c.repository = $r) ORDER BY v.chunk_id
                    """, repository);
                counts[3] = WriteRows(writer, connection, transaction, "lexical", """
                    SELECT c.chunk_id, group_concat(t.term || '@' || t.offset, ' ' ORDER BY t.offset, t.term)
                    FROM chunks_fts_vocab t JOIN chunks c ON c.key = t.doc
                    WHERE $r IS NULL OR c.repository = $r
                    GROUP BY c.chunk_id ORDER BY c.chunk_id
                    """, repository);
                WritePostings(writer, connection, transaction, repository);
                WriteRows(writer, connection, transaction, "symbols", """
                    SELECT repository, path, qualified_name, name, kind, start_line, end_line, parent_qualified_name, signature
                    FROM symbols WHERE $r IS NULL OR repository = $r ORDER BY repository, path, qualified_name
                    """, repository);
                WriteRows(writer, connection, transaction, "calls", """
                    SELECT repository, path, ordinal, caller, name, qualifier, line
                    FROM calls WHERE $r IS NULL OR repository = $r ORDER BY repository, path, ordinal
                    """, repository);
                WriteRows(writer, connection, transaction, "imports", """
                    SELECT repository, path, ordinal, module, names, alias, line
                    FROM imports WHERE $r IS NULL OR repository = $r ORDER BY repository, path, ordinal
                    """, repository);
                WriteRows(writer, connection, transaction, "inheritance", """
                    SELECT repository, path, ordinal, type_qualified_name, base_name, line
                    FROM inheritance WHERE $r IS NULL OR repository = $r ORDER BY repository, path, ordinal
                    """, repository);
                writer.WriteEndObject();
            }

            transaction.Commit();
            return new IndexSnapshot(Encoding.UTF8.GetString(stream.ToArray()), counts[0], counts[1], counts[2], counts[3]);
        });

    /// <summary>
    /// The store's own lexical postings per chunk (term:frequency, sorted, and the chunk's length), with the totals BM25
    /// reads, so an incremental store and a rebuilt one must agree on them too (their block boundaries may differ).
    /// </summary>
    private static void WritePostings(Utf8JsonWriter writer, SqliteConnection connection, SqliteTransaction transaction, string? repository)
    {
        var ids = new Dictionary<long, string>();
        using (var command = Command(connection, transaction, "SELECT key, chunk_id FROM chunks WHERE $r IS NULL OR repository = $r", ("$r", repository)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        var byChunk = new SortedDictionary<string, (List<string> Terms, int Length)>(StringComparer.Ordinal);
        var postings = new List<Internals.Posting>();
        var segments = Internals.LexicalPostings.ReadSegments(connection, transaction, cache: null);
        var postingTerms = new SortedSet<string>(segments.SelectMany(s => s.Terms), StringComparer.Ordinal);
        using (var command = Command(connection, transaction, "SELECT DISTINCT term FROM lex_blocks"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                postingTerms.Add(reader.GetString(0));
            }
        }

        // CGR: the postings as searches read them (the blocks with the unmerged segments applied), so a store whose
        // segments were merged at other points exports the same.
        foreach (var term in postingTerms)
        {
            foreach (var block in Internals.LexicalPostings.ReadTerm(connection, transaction, term, segments))
            {
                postings.Clear();
                Internals.LexicalPostings.Decode(block.Data, postings);
                foreach (var posting in postings)
                {
                    // CGR: a posting of a chunk that no longer exists is kept under its key, so the comparison shows it.
                    var id = ids.TryGetValue(posting.Key, out var known) ? known : $"missing-key-{posting.Key}";
                    if (known is null && repository is not null)
                    {
                        continue;
                    }

                    if (!byChunk.TryGetValue(id, out var entry))
                    {
                        entry = ([], posting.Length);
                        byChunk[id] = entry;
                    }

                    entry.Terms.Add($"{term}:{posting.Frequency}");
                }
            }
        }

        writer.WriteStartArray("postings");
        foreach (var (id, (terms, length)) in byChunk)
        {
            terms.Sort(StringComparer.Ordinal);
            writer.WriteStartArray();
            writer.WriteStringValue(id);
            writer.WriteStringValue(string.Join(' ', terms));
            writer.WriteNumberValue(length);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        if (repository is null)
        {
            var (rows, tokens) = Internals.LexicalPostings.ReadTotals(connection, transaction);
            writer.WriteString("postings_totals", $"{rows} chunks, {tokens} tokens");
        }
    }

    private int WriteRows(Utf8JsonWriter writer, SqliteConnection connection, SqliteTransaction transaction, string name, string sql, string? repository)
    {
        using var command = Command(connection, transaction, sql, ("$r", repository), ("$m", _options.ModelId));
        using var reader = command.ExecuteReader();
        writer.WriteStartArray(name);
        var count = 0;
        while (reader.Read())
        {
            writer.WriteStartArray();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (reader.IsDBNull(i))
                {
                    writer.WriteNullValue();
                    continue;
                }

                switch (reader.GetValue(i))
                {
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    case double real:
                        writer.WriteNumberValue(real);
                        break;
                    case byte[] blob:
                        writer.WriteStringValue(Convert.ToBase64String(blob));
                        break;
                    case var other:
                        writer.WriteStringValue(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            writer.WriteEndArray();
            count++;
        }

        writer.WriteEndArray();
        return count;
    }
}
