using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CodeGraphRag.Sources;

/// <summary>One long-lived <c>git cat-file --batch</c> process serving many blob reads, one at a time.</summary>
internal sealed class GitBlobReader : IAsyncDisposable
{
    private readonly string _repository;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _process;
    private Stream? _output;
    private bool _disposed;

    public GitBlobReader(string repository) => _repository = repository;

    /// <summary>The blob's bytes, or null when git does not have it.</summary>
    /// <remarks>Cancellation is honoured only before the request is sent: a half-read reply would desynchronise the batch protocol.</remarks>
    public async Task<byte[]?> ReadAsync(string objectId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return await ReadLockedAsync(objectId).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The process died (or the pipe broke): restart once.
                Stop();
                return await ReadLockedAsync(objectId).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            Stop();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task<byte[]?> ReadLockedAsync(string objectId)
    {
        if (_process is null || _process.HasExited)
        {
            Stop();
            _process = GitProcess.Start(_repository, ["cat-file", "--batch"]);
            _process.ErrorDataReceived += static (_, _) => { };
            _process.BeginErrorReadLine();
            _output = new BufferedStream(_process.StandardOutput.BaseStream, 64 * 1024);
        }

        await _process.StandardInput.WriteAsync(objectId + "\n").ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);

        var header = await ReadLineAsync(_output!).ConfigureAwait(false);
        var parts = header.Split(' ');
        if (parts.Length == 2 && parts[1] == "missing")
        {
            return null;
        }

        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new IOException($"Unexpected reply from git cat-file: '{header}'.");
        }

        var data = new byte[size];
        await _output!.ReadExactlyAsync(data).ConfigureAwait(false);
        var newline = new byte[1];
        await _output.ReadExactlyAsync(newline).ConfigureAwait(false);
        return parts[1] == "blob" ? data : null;
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("git cat-file ended unexpectedly.");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            bytes.Add(one[0]);
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already gone.
        }

        _output?.Dispose();
        _process.Dispose();
        _process = null;
        _output = null;
    }
}
