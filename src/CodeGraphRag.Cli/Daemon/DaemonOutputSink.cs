using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CodeGraphRag.Cli.Daemon;

/// <summary>
/// Sends what a command running in the background server writes back to its client as it is written: each line (or
/// progress update ending in a carriage return, or flush) becomes one message. When the client has gone away, writes
/// are dropped and the command is cancelled, so it stops between files as after Ctrl-C.
/// </summary>
internal sealed class DaemonOutputSink(NetworkStream stream, Func<string, string, DaemonResponse> output, CancellationTokenSource cancel)
{
    private readonly Lock _gate = new();
    private bool _closed;

    /// <summary>A writer for the command's stdout or stderr.</summary>
    public TextWriter Writer(bool toStderr) => new ForwardingWriter(this, toStderr);

    /// <summary>Sends the last message (the exit code); nothing is sent after it.</summary>
    public void Finish(DaemonResponse last) => Send(last, last: true);

    private void Send(DaemonResponse message, bool last = false)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                DaemonProtocol.Write(stream, message);
                _closed = last;
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                _closed = true;
                cancel.Cancel();
            }
        }
    }

    private sealed class ForwardingWriter(DaemonOutputSink sink, bool toStderr) : TextWriter(CultureInfo.InvariantCulture)
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_pending)
            {
                _pending.Append(value);
                if (value is '\n' or '\r')
                {
                    SendPendingLocked();
                }
            }
        }

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            lock (_pending)
            {
                _pending.Append(value);
                if (value.AsSpan().IndexOfAny('\n', '\r') >= 0)
                {
                    SendPendingLocked();
                }
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Flush()
        {
            lock (_pending)
            {
                SendPendingLocked();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }

        private void SendPendingLocked()
        {
            if (_pending.Length == 0)
            {
                return;
            }

            var text = _pending.ToString();
            _pending.Clear();
            sink.Send(toStderr ? sink.Output(string.Empty, text) : sink.Output(text, string.Empty));
        }
    }

    private DaemonResponse Output(string stdout, string stderr) => output(stdout, stderr);
}
