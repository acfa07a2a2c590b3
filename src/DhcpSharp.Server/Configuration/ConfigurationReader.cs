using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Reads a configuration file into its file model: JSON with comments and trailing commas, the
/// shape checked against the model's source-generated metadata, then System.Text.Json
/// deserialization (no reflection). Every failure is a <see cref="ConfigurationException"/>.
/// </summary>
public static class ConfigurationReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, $"cannot read the configuration file: {e.Message}");
        }
    }

    /// <param name="json">The file's text.</param>
    /// <param name="source">Names the text in a syntax error (the file's path, "flags" …).</param>
    /// <param name="typeInfo">The file model's root, from a source-generated context.</param>
    public static T Read<T>(string json, string source, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(source, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }

        using (document)
        {
            ConfigurationShapeCheck.Check(document.RootElement, typeInfo);
            try
            {
                return document.RootElement.Deserialize(typeInfo) ?? throw new ConfigurationException("$", "expected an object, got null");
            }
            catch (JsonException e)
            {
                // The shape check should have caught it first; still name the path System.Text.Json gives.
                throw new ConfigurationException(e.Path ?? "$", e.Message);
            }
        }
    }
}
