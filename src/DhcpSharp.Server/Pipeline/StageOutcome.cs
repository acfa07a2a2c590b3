namespace DhcpSharp.Server.Pipeline;

/// <summary>What a pipeline stage decided about a request.</summary>
public enum StageOutcome
{
    /// <summary>Go on with the next stage.</summary>
    Continue,

    /// <summary>Stop here and send the reply the context holds (if any).</summary>
    Respond,

    /// <summary>Stop here and send nothing; the reason is counted.</summary>
    Drop,
}
