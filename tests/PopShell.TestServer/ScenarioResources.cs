using System.Reflection;
using System.Text;

namespace PopShell.TestServer;

/// <summary>
/// The scenario files (<c>Scenarios/*.pop3</c>) and the messages they send (<c>Scenarios/Messages/*</c>),
/// embedded in this assembly so that tests find them whatever their working directory.
/// </summary>
public static class ScenarioResources
{
    static readonly Assembly Assembly = typeof(ScenarioResources).Assembly;

    /// <summary>The names of all embedded scenarios.</summary>
    public static IReadOnlyList<string> ScenarioNames =>
        Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Scenarios/", StringComparison.Ordinal) && n.EndsWith(".pop3", StringComparison.Ordinal))
            .Select(n => n["Scenarios/".Length..^".pop3".Length])
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The text of scenario <paramref name="name"/>.</summary>
    public static string ReadScenario(string name) => Encoding.UTF8.GetString(Read($"Scenarios/{name}.pop3"));

    /// <summary>The bytes of message file <paramref name="name"/>, as stored.</summary>
    public static byte[] ReadMessage(string name) => Read($"Messages/{name}");

    /// <summary>
    /// A message as S-FILE puts it on the wire, without the dot-stuffing and the final ".":
    /// every line ending as CRLF (the file's own line ends do not matter, so a checkout with
    /// either convention sends the same bytes). Its length is what an honest LIST announces.
    /// </summary>
    public static byte[] MessageOnWire(string name)
    {
        var output = new MemoryStream();
        foreach (var line in MessageLines(name, headersOnly: false))
        {
            output.Write(line);
            output.Write("\r\n"u8);
        }
        return output.ToArray();
    }

    /// <summary>
    /// The lines S-FILE sends, without line ends and before dot-stuffing; with <paramref name="headersOnly"/>,
    /// those S-HEADERS sends: up to and including the blank line that ends the header block.
    /// </summary>
    public static IReadOnlyList<byte[]> MessageLines(string name, bool headersOnly)
    {
        var lines = new List<byte[]>();
        var content = ReadMessage(name);
        int start = 0;
        while (start < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            if (end < 0)
                end = content.Length; // A last line without a line end still counts.
            int length = end - start;
            if (length > 0 && content[start + length - 1] == '\r')
                length--;
            lines.Add(content.AsSpan(start, length).ToArray());
            if (headersOnly && length == 0)
                break;
            start = end + 1;
        }
        return lines;
    }

    static byte[] Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new FileNotFoundException($"No embedded test resource '{resource}'. Scenarios live in tests/PopShell.TestServer/Scenarios, messages in Scenarios/Messages.", resource);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
