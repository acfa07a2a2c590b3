using System.CommandLine;
using System.Text.Json;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Cli.Commands;

/// <summary><c>dhcpsharp options [--json]</c>: the option table (code, config key, kind, name).</summary>
internal static class OptionsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per option and line." };
        var command = new Command("options", "List every DHCP option DhcpSharp knows, with its config key and value kind.") { json };
        command.SetAction(parse => Run(parse.GetValue(json), Console.Out));
        return command;
    }

    public static int Run(bool json, TextWriter output)
    {
        foreach (var definition in DhcpOptionSpaces.Dhcp4.Definitions)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { code = definition.Code, key = definition.ConfigKey, kind = definition.KindName, name = definition.Name }));
            }
            else
            {
                output.WriteLine($"{definition.Code,3}  {definition.ConfigKey,-30} {definition.KindName,-28} {definition.Name}");
            }
        }

        return 0;
    }
}
