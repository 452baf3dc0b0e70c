using Onnx;

namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>
/// Ends the graph with the text vector: the token states (<c>last_hidden_state</c>, [batch, sequence, hidden]) are pooled
/// (the first token's vector, or the mean over the tokens the attention mask keeps) and scaled to unit length, and that
/// [batch, hidden] vector becomes the graph's only output, <see cref="OutputName"/>.
/// </summary>
internal static class PoolingRewrite
{
    /// <summary>The prepared model's output.</summary>
    public const string OutputName = "sentence_embedding";

    public static void Apply(GraphEditor editor, EmbeddingPooling pooling)
    {
        var graph = editor.Graph;
        var hidden = graph.Output.FirstOrDefault(o => o.Name == Constants.LastHiddenState)
            ?? graph.Output.FirstOrDefault(o => o.Type?.TensorType?.Shape?.Dim.Count == 3)
            ?? throw new ModelCompilationException(
                $"pooling: the graph has no [batch, sequence, hidden] output to pool (outputs: {string.Join(", ", graph.Output.Select(o => o.Name))})");
        var states = hidden.Name;
        if (hidden.Type.TensorType.ElemType == GraphEditor.Float16)
        {
            // Pooling and the norm run in fp32 whatever the encoder's precision: the vector that leaves is fp32.
            states = editor.Fresh("cgr/hidden_fp32");
            graph.Node.Add(editor.Node("Cast", [hidden.Name], [states], GraphEditor.Int("to", GraphEditor.Float)));
        }
        else if (hidden.Type.TensorType.ElemType != GraphEditor.Float)
        {
            throw new ModelCompilationException($"pooling: output '{hidden.Name}' is of ONNX type {hidden.Type.TensorType.ElemType}, not float or float16");
        }

        var dims = hidden.Type.TensorType.Shape.Dim;
        string pooled;
        if (pooling == EmbeddingPooling.Cls)
        {
            var zero = editor.Int64Initializer("cgr/cls_index", [], [0L]);
            pooled = editor.Fresh("cgr/cls");
            graph.Node.Add(editor.Node("Gather", [states, zero], [pooled], GraphEditor.Int("axis", 1)));
        }
        else
        {
            var mask = graph.Input.FirstOrDefault(i => i.Name == Constants.AttentionMask)
                ?? throw new ModelCompilationException($"pooling: mean pooling needs the graph input '{Constants.AttentionMask}'");
            var maskFloat = editor.Fresh("cgr/mask_float");
            var maskColumn = editor.Fresh("cgr/mask_column");
            var masked = editor.Fresh("cgr/masked");
            var sum = editor.Fresh("cgr/sum");
            var count = editor.Fresh("cgr/count");
            pooled = editor.Fresh("cgr/mean");
            graph.Node.Add(editor.Node("Cast", [mask.Name], [maskFloat], GraphEditor.Int("to", GraphEditor.Float)));
            graph.Node.Add(editor.Unsqueeze(maskFloat, maskColumn, 2));
            graph.Node.Add(editor.Node("Mul", [states, maskColumn], [masked]));
            graph.Node.Add(editor.Reduce("ReduceSum", masked, sum, 1, keepDims: false, axesInputFrom: 13));
            graph.Node.Add(editor.Reduce("ReduceSum", maskColumn, count, 1, keepDims: false, axesInputFrom: 13));
            graph.Node.Add(editor.Node("Div", [sum, count], [pooled]));
        }

        var norm = editor.Fresh("cgr/norm");
        var floor = editor.FloatInitializer("cgr/norm_floor", [], [1e-12f]);
        var safeNorm = editor.Fresh("cgr/norm_floored");
        graph.Node.Add(editor.Reduce("ReduceL2", pooled, norm, 1, keepDims: true, axesInputFrom: 18));
        graph.Node.Add(editor.Node("Max", [norm, floor], [safeNorm]));
        graph.Node.Add(editor.Node("Div", [pooled, safeNorm], [OutputName]));

        var output = new ValueInfoProto { Name = OutputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = GraphEditor.Float, Shape = new TensorShapeProto() } } };
        output.Type.TensorType.Shape.Dim.Add(dims[0].Clone());
        output.Type.TensorType.Shape.Dim.Add(dims[2].Clone());
        graph.Output.Clear();
        graph.Output.Add(output);
        editor.Prune();
    }
}
