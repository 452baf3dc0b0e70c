namespace CodeGraphRag.Embeddings;

/// <summary>How token vectors of a BERT-style encoder become one text vector.</summary>
public enum EmbeddingPooling
{
    /// <summary>The vector of the first token ([CLS]); snowflake-arctic-embed uses this.</summary>
    Cls,

    /// <summary>The mean over the tokens the attention mask keeps; all-MiniLM-L6-v2 uses this.</summary>
    Mean,
}
