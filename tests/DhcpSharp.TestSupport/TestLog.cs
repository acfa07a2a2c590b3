namespace DhcpSharp.TestSupport;

/// <summary>The current test's output (shown with its result), for steps and program output.</summary>
public static class TestLog
{
    public static void Write(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
