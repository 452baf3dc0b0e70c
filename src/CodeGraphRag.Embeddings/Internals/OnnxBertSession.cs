using System.Numerics.Tensors;
using CodeGraphRag.Embeddings.Compilation;
using Microsoft.ML.OnnxRuntime;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>
/// One ONNX Runtime session of a BERT-style encoder: pads a batch to its longest text and runs it. A prepared model returns
/// unit vectors; a source model's token states are pooled and normalised here.
/// </summary>
/// <remarks>Not thread-safe: its input buffers are reused, so one caller (the batcher's worker) runs it at a time.</remarks>
internal sealed class OnnxBertSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly EmbeddingPooling _pooling;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _hasTokenTypes;
    private readonly bool _pooledInGraph;
    private long[] _ids = [];
    private long[] _mask = [];
    private long[] _types = [];

    public OnnxBertSession(byte[] model, EmbeddingPooling pooling, int intraOpThreads, DeviceSpec device)
    {
        _pooling = pooling;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,

            // CGR: on CUDA, ORT warns at every session start that shape ops stay on the CPU (by design); errors still show.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (device.IsCuda)
        {
#if CGR_ONNX_CUDA
            try
            {
                options.AppendExecutionProvider_CUDA(device.DeviceId);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new EmbeddingException(
                    $"{Constants.ConfigSection}:Device=cuda:{device.DeviceId}: the CUDA execution provider did not load (it needs the CUDA 13, cuBLAS and cuDNN 9 libraries on the library path): {ex.Message.ReplaceLineEndings(" ")}",
                    ex);
            }
#else
            throw new EmbeddingException(DeviceSpec.CudaNeedsCudaBuildMessage);
#endif
        }

        _session = new InferenceSession(model, options);
        try
        {
            var inputs = _session.InputMetadata;
            if (!inputs.ContainsKey(Constants.InputIds) || !inputs.ContainsKey(Constants.AttentionMask))
            {
                throw new EmbeddingException($"The ONNX model's inputs are [{string.Join(", ", inputs.Keys)}]; a BERT-style encoder needs '{Constants.InputIds}' and '{Constants.AttentionMask}'.");
            }

            _hasTokenTypes = inputs.ContainsKey(Constants.TokenTypeIds);
            _inputNames = _hasTokenTypes
                ? [Constants.InputIds, Constants.AttentionMask, Constants.TokenTypeIds]
                : [Constants.InputIds, Constants.AttentionMask];

            // A prepared model (Compilation.ModelCompiler) pools and normalises inside the graph: [batch, hidden] out.
            if (_session.OutputMetadata.TryGetValue(ModelCompiler.OutputName, out var pooled) && pooled.Dimensions.Length == 2)
            {
                _pooledInGraph = true;
                _outputNames = [ModelCompiler.OutputName];

                // One tiny batch at load: a prepared model whose kernels fail on this device (a CUDA fp16 attention
                // kernel, say) fails here with the load's error, not in the middle of the first index.
                Dimensions = Run([[101, 102]])[0].Length;
                return;
            }

            // CGR: MiniLM also outputs a tanh pooler vector [b, 384]; the sentence vector comes from the token states.
            var output = _session.OutputMetadata.TryGetValue(Constants.LastHiddenState, out var hidden)
                ? new KeyValuePair<string, NodeMetadata>(Constants.LastHiddenState, hidden)
                : _session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3);
            if (output.Value is null || output.Value.Dimensions.Length != 3 || output.Value.ElementType != typeof(float))
            {
                throw new EmbeddingException($"The ONNX model has no float [batch, sequence, hidden] output (outputs: {string.Join(", ", _session.OutputMetadata.Keys)}).");
            }

            _outputNames = [output.Key];
            Dimensions = output.Value.Dimensions[2] > 0 ? output.Value.Dimensions[2] : Run([[101, 102]])[0].Length;
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    /// <summary>Vector length.</summary>
    public int Dimensions { get; private set; }

    /// <summary>Asks a running <see cref="Run"/> to stop (used on shutdown).</summary>
    public void Terminate() => _runOptions.Terminate = true;

    /// <summary>Embeds one batch of token id sequences ([CLS] ... [SEP]); returns unit vectors in the same order.</summary>
    public float[][] Run(IReadOnlyList<long[]> batch)
    {
        var rows = batch.Count;
        var width = 1;
        for (var i = 0; i < rows; i++)
        {
            width = Math.Max(width, batch[i].Length);
        }

        var size = rows * width;
        EnsureCapacity(size);
        var ids = _ids.AsSpan(0, size);
        var mask = _mask.AsSpan(0, size);
        ids.Clear();
        mask.Clear();
        for (var i = 0; i < rows; i++)
        {
            batch[i].CopyTo(ids.Slice(i * width, batch[i].Length));
            mask.Slice(i * width, batch[i].Length).Fill(1);
        }

        long[] shape = [rows, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ids.AsMemory(0, size), shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.AsMemory(0, size), shape);
        using var typesValue = _hasTokenTypes
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _types.AsMemory(0, size), shape)
            : null;
        OrtValue[] inputs = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];

        using var outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
        if (_pooledInGraph)
        {
            var vectors = outputs[0].GetTensorDataAsSpan<float>();
            var length = vectors.Length / rows;
            var pooled = new float[rows][];
            for (var i = 0; i < rows; i++)
            {
                pooled[i] = vectors.Slice(i * length, length).ToArray();
            }

            return pooled;
        }

        var states = outputs[0].GetTensorDataAsSpan<float>();
        var hidden = states.Length / size;
        var result = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            var vector = new float[hidden];
            var row = states.Slice(i * width * hidden, width * hidden);
            if (_pooling == EmbeddingPooling.Cls)
            {
                row[..hidden].CopyTo(vector);
            }
            else
            {
                // Mean over the tokens the mask keeps: they are exactly the first batch[i].Length positions.
                var length = batch[i].Length;
                for (var t = 0; t < length; t++)
                {
                    TensorPrimitives.Add(vector, row.Slice(t * hidden, hidden), vector);
                }

                TensorPrimitives.Divide(vector, length, vector);
            }

            Normalize(vector);
            result[i] = vector;
        }

        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static void Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, Math.Max(norm, 1e-12f), vector);
    }

    private void EnsureCapacity(int size)
    {
        if (_ids.Length >= size)
        {
            return;
        }

        // Token type ids stay zero: single-segment input.
        _ids = new long[size];
        _mask = new long[size];
        _types = new long[size];
    }
}
