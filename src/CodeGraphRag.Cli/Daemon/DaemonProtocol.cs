using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Daemon;

/// <summary>A request to the background server: run a read-only command, index, report on itself, or stop.</summary>
/// <param name="Kind"><c>run</c>, <c>index</c>, <c>ping</c> or <c>stop</c>.</param>
/// <param name="Args">For <c>run</c> and <c>index</c>: the command and its arguments, as typed.</param>
/// <param name="Terminal">For <c>index</c>: the client's stdout is a terminal (a live progress line rather than plain lines).</param>
/// <param name="WorkingDirectory">For <c>index</c>: the client's working directory, which a relative path is relative to.</param>
internal sealed record DaemonRequest(string Kind, IReadOnlyList<string> Args, bool Terminal = false, string? WorkingDirectory = null);

/// <summary>
/// The answer: a command's exit code and output, or the server's state. An <c>index</c> request is answered by a stream
/// of them: output as it is written (<paramref name="More"/> set), then the last one with the exit code.
/// </summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="Stdout">What it wrote to stdout.</param>
/// <param name="Stderr">What it wrote to stderr.</param>
/// <param name="Pid">The server's process id.</param>
/// <param name="DataDirectory">The data directory it serves.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="IdleSeconds">Seconds since its last request before this one.</param>
/// <param name="IdleTimeoutSeconds">Idle seconds after which it exits.</param>
/// <param name="Requests">Commands answered.</param>
/// <param name="More">Output of a command still running; its exit code follows in a later message.</param>
internal sealed record DaemonResponse(
    int ExitCode, string Stdout, string Stderr, int Pid, string DataDirectory, DateTimeOffset StartedAt, double IdleSeconds, double IdleTimeoutSeconds, long Requests,
    bool More = false);

[JsonSerializable(typeof(DaemonRequest))]
[JsonSerializable(typeof(DaemonResponse))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;

/// <summary>
/// Messages are a 4-byte big-endian length, then UTF-8 JSON: one request, then one response (an <c>index</c> request: a
/// stream of responses). A client cancels a running <c>index</c> by shutting down its sending side.
/// </summary>
internal static class DaemonProtocol
{
    /// <summary>Largest message accepted (a search answer with a hundred hits and their code is well below it).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    public static Task WriteAsync(Stream stream, DaemonRequest message, CancellationToken cancellationToken)
        => WriteAsync(stream, JsonSerializer.SerializeToUtf8Bytes(message, DaemonJsonContext.Default.DaemonRequest), cancellationToken);

    public static Task WriteAsync(Stream stream, DaemonResponse message, CancellationToken cancellationToken)
        => WriteAsync(stream, JsonSerializer.SerializeToUtf8Bytes(message, DaemonJsonContext.Default.DaemonResponse), cancellationToken);

    public static async Task<DaemonRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
        => await ReadAsync(stream, cancellationToken) is { } body ? JsonSerializer.Deserialize(body, DaemonJsonContext.Default.DaemonRequest) : null;

    public static async Task<DaemonResponse?> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
        => await ReadAsync(stream, cancellationToken) is { } body ? JsonSerializer.Deserialize(body, DaemonJsonContext.Default.DaemonResponse) : null;

    /// <summary>Writes a response without awaiting (for a <see cref="TextWriter"/> that forwards output as it is written).</summary>
    public static void Write(Stream stream, DaemonResponse message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, DaemonJsonContext.Default.DaemonResponse);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        stream.Write(header);
        stream.Write(body);
        stream.Flush();
    }

    private static async Task WriteAsync(Stream stream, byte[] body, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        await stream.WriteAsync(header, cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next message's body, or null when the other side closed before sending one.</summary>
    private static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken) < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxMessageBytes)
        {
            throw new InvalidDataException($"a message of {length} bytes is not a cgr daemon message");
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }
}
