using System.Runtime.CompilerServices;
using DhcpSharp.Cli.Commands;

namespace DhcpSharp.Protocol.Tests;

/// <summary>
/// Every committed capture of real clients, servers and firmware, decoded by <c>dhcpsharp decode</c>
/// (text and JSON), must match the committed snapshot exactly. Set DHCPSHARP_UPDATE_GOLDEN=1 to
/// rewrite the snapshots after an intended change, then review the diff.
/// </summary>
public class GoldenCaptureTests
{
    public static TheoryData<string> Captures() => new(CaptureFiles.All().Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(Captures))]
    public void Text_decode_matches_snapshot(string capture) => Check(capture, json: false, ".txt");

    [Theory]
    [MemberData(nameof(Captures))]
    public void Json_decode_matches_snapshot(string capture) => Check(capture, json: true, ".jsonl");

    [Fact]
    public void Every_capture_decodes_without_malformed_messages()
    {
        Assert.True(CaptureFiles.All().Count() >= 9, "expected the committed captures next to the test assembly");
        foreach (var path in CaptureFiles.All())
        {
            var output = new StringWriter();
            Assert.Equal(0, DecodeCommand.Run(new FileInfo(path), json: false, output, TextWriter.Null));
            Assert.Contains(" 0 malformed.", output.ToString(), StringComparison.Ordinal);
        }
    }

    private static void Check(string capture, bool json, string extension)
    {
        var output = new StringWriter { NewLine = "\n" };
        int exit = DecodeCommand.Run(new FileInfo(Path.Combine(CaptureFiles.Directory, capture + ".pcap")), json, output, TextWriter.Null);
        Assert.Equal(0, exit);
        string actual = output.ToString().ReplaceLineEndings("\n");
        string snapshot = Path.Combine(SourceDirectory(), "Golden", capture + extension);
        if (Environment.GetEnvironmentVariable("DHCPSHARP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(snapshot, actual);
        }

        Assert.True(File.Exists(snapshot), $"no snapshot {snapshot}; run with DHCPSHARP_UPDATE_GOLDEN=1 to create it");
        string expected = File.ReadAllText(snapshot).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"{capture}{extension} differs from the snapshot at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}");
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
