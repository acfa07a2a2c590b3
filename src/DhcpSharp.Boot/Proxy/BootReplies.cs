using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Boot.Proxy;

/// <summary>What every boot reply writes the same way, in full mode and in proxy mode.</summary>
internal static class BootReplies
{
    /// <summary>
    /// The file field and option 67 (iPXE and EDK2 read either; old ROMs only the field).
    /// "{server}" in the name becomes the replying server's address, so one rule works on every interface.
    /// </summary>
    public static void SetBootFile(DhcpMessage reply, string file, IPv4Address server)
    {
        file = file.Replace("{server}", server.ToString(), StringComparison.Ordinal);
        if (System.Text.Encoding.UTF8.GetByteCount(file) < DhcpHeaderLayout.BootFileSize)
        {
            reply.BootFileName = file;
        }

        reply.Options.Set(DhcpOptions.BootFileName, file);
    }
}
