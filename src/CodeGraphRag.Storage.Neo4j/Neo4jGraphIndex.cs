using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Neo4j;

/// <summary>
/// The graph and catalog half of a split backend on Neo4j 5.x over HTTP: repositories, file manifest entries, symbols
/// and late-bound references, resolved at query time with the same preference order as the embedded store.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per process. The uniqueness constraints and indexes are created (IF NOT EXISTS) by
/// <see cref="EnsureSchemaAsync"/>, which the first operation calls when nobody did. Every write is idempotent. Failures
/// surface as <see cref="Neo4jException"/> after transient ones were retried.
/// </remarks>
public sealed partial class Neo4jGraphIndex : IGraphIndex, IDisposable
{
    private static readonly HashSet<string> AlreadyExistsCodes = new(StringComparer.Ordinal)
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
    };

    private readonly Neo4jTransport _transport;
    private readonly Neo4jOptions _options;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Creates the index over <paramref name="httpClient"/> (not disposed by it; its own timeout should be infinite).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public Neo4jGraphIndex(HttpClient httpClient, IOptions<Neo4jOptions> options, ILogger<Neo4jGraphIndex>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var validation = new Neo4jOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(Neo4jOptions), validation.Failures);
        }

        _transport = new Neo4jTransport(httpClient, _options, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates the uniqueness constraints (repository, file, symbol and name keys) and lookup indexes when missing.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            // CGR: schema commands cannot share a transaction with each other's data or with writes; one request each.
            foreach (var statement in Cypher.Schema)
            {
                try
                {
                    await _transport.RunAsync("EnsureSchema", CypherStatement.Of(statement), read: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Neo4jException e) when (e.Code is { } code && AlreadyExistsCodes.Contains(code))
                {
                    // CGR: another process created the same rule between our IF NOT EXISTS check and the create.
                }
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _schemaGate.Dispose();

    private async Task<Neo4jResult> ReadAsync(string operation, CypherStatement statement, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _transport.RunAsync(operation, statement, read: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Neo4jResult>> ReadManyAsync(string operation, IReadOnlyList<CypherStatement> statements, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _transport.RunReadsAsync(operation, statements, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(string operation, IReadOnlyList<CypherStatement> statements, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _transport.RunInTransactionAsync(operation, statements, read: false, cancellationToken).ConfigureAwait(false);
    }
}
