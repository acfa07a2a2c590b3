namespace DhcpSharp.Boot.Tftp;

/// <summary>RFC 764 netascii: LF → CR LF, CR → CR NUL.</summary>
internal static class NetAscii
{
    public static MemoryStream Encode(Stream source)
    {
        var output = new MemoryStream();
        int value;
        while ((value = source.ReadByte()) >= 0)
        {
            if (value == '\n')
            {
                output.WriteByte((byte)'\r');
                output.WriteByte((byte)'\n');
            }
            else if (value == '\r')
            {
                output.WriteByte((byte)'\r');
                output.WriteByte(0);
            }
            else
            {
                output.WriteByte((byte)value);
            }
        }

        output.Position = 0;
        return output;
    }
}
