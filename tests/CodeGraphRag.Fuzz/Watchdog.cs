using System.Diagnostics;

namespace CodeGraphRag.Fuzz;

/// <summary>
/// Notices an input that keeps a target busy longer than the limit (an endless loop or a pattern with catastrophic
/// backtracking) and hands it to <c>onHang</c> from a timer thread, since the fuzzing thread itself is the one stuck.
/// </summary>
public sealed class Watchdog : IDisposable
{
    /// <summary>The longest one input may take; generous, since a 2-core machine under load is slow and inputs are small.</summary>
    public const int HangSeconds = 20;

    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private readonly TimeSpan _limit;
    private readonly Action<string, byte[]> _onHang;
    private string? _target;
    private byte[] _input = [];
    private long _started;

    public Watchdog(TimeSpan limit, Action<string, byte[]> onHang)
    {
        _limit = limit;
        _onHang = onHang;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Enter(string target, byte[] input)
    {
        lock (_gate)
        {
            (_target, _input, _started) = (target, input, Stopwatch.GetTimestamp());
        }
    }

    public void Leave()
    {
        lock (_gate)
        {
            _target = null;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        string target;
        byte[] input;
        lock (_gate)
        {
            if (_target is null || Stopwatch.GetElapsedTime(_started) < _limit)
            {
                return;
            }

            (target, input, _target) = (_target, _input, null);
        }

        _onHang(target, input);
    }
}
