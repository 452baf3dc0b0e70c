namespace CodeGraphRag.Storage.Embedded;

/// <summary>The scalar type the ANN index stores its (unit length) vectors as.</summary>
public enum AnnVectorPrecision
{
    /// <summary>32-bit floats: the vectors as embedded.</summary>
    F32,

    /// <summary>16-bit floats: half the memory; a unit vector's components keep about three significant digits.</summary>
    F16,

    /// <summary>8-bit integers (components scaled to -127..127): a quarter of the memory.</summary>
    I8,
}
