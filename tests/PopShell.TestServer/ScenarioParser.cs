using System.Globalization;
using System.Text;

namespace PopShell.TestServer;

/// <summary>
/// Reads the scenario text format, one step per line:
/// <code>
/// # a comment; blank lines are ignored too
/// S: +OK ready                  send a line (UTF-8), CRLF appended
/// S-RAW: +OK \e[31m\r\n         send bytes as they are: \r \n \t \e \0 \\ \xHH escapes, no CRLF added
/// S-RAW: base64:K09LDQo=        the same, given as base64
/// S-REPEAT: 10_000_000 x        send a line (CRLF appended) n times, streamed
/// S-RAW-REPEAT: 300_000 A       send raw text (escapes as S-RAW, no CRLF) n times: one over-long line
/// S-FILE: first.eml             send Scenarios/Messages/first.eml with CRLF line ends, dot-stuffed, then "."
/// S-HEADERS: first.eml          the same for its header block and the blank line after it (a TOP n 0 reply)
/// C: USER alice                 expect exactly this client line
/// C: PASS *                     expect a line starting with "PASS "; "C: *" expects any one line
/// CLOSE                         end the server's side; what the client still sends is recorded
/// RESET                         abort the connection (TCP reset)
/// STALL                         stop answering until the client hangs up
/// INCLUDE: login                the steps of Scenarios/login.pop3, here
/// </code>
/// When the steps run out, the server closes as with CLOSE.
/// </summary>
public static class ScenarioParser
{
    const string Base64Prefix = "base64:";

    // INCLUDE is for shared prologues; deeper nesting is a scenario including itself.
    const int MaxIncludeDepth = 8;

    /// <summary>Parses scenario text; <paramref name="name"/> labels the steps' origins and errors.</summary>
    /// <exception cref="FormatException">A line is not a step; the message names the line.</exception>
    public static IReadOnlyList<ScenarioStep> Parse(string text, string name) => Parse(text, name, 0);

    static List<ScenarioStep> Parse(string text, string name, int depth)
    {
        var steps = new List<ScenarioStep>();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                continue;
            string origin = $"{name}:{i + 1}";
            try
            {
                if (line.StartsWith("INCLUDE:", StringComparison.Ordinal))
                    steps.AddRange(Include(line["INCLUDE:".Length..].Trim(), depth));
                else
                    steps.Add(ParseStep(line, origin));
            }
            catch (Exception ex) when (ex is FormatException or FileNotFoundException)
            {
                throw new FormatException($"Scenario line {origin}: {ex.Message} ({line})", ex);
            }
        }
        return steps;
    }

    static List<ScenarioStep> Include(string name, int depth)
    {
        if (depth >= MaxIncludeDepth)
            throw new FormatException($"INCLUDE nested more than {MaxIncludeDepth} deep; does a scenario include itself?");
        return Parse(ScenarioResources.ReadScenario(name), name, depth + 1);
    }

    static ScenarioStep ParseStep(string line, string origin)
    {
        switch (line.Trim())
        {
            case "CLOSE":
                return new ScenarioStep.Close(origin);
            case "RESET":
                return new ScenarioStep.Reset(origin);
            case "STALL":
                return new ScenarioStep.Stall(origin);
        }

        int colon = line.IndexOf(':');
        if (colon < 0)
            throw new FormatException("not a step: expected S:, S-RAW:, S-REPEAT:, S-RAW-REPEAT:, S-FILE:, S-HEADERS:, C:, CLOSE, RESET, STALL or INCLUDE:");
        string keyword = line[..colon];
        // One space after the colon separates; anything further belongs to the argument.
        string argument = line[(colon + 1)..];
        if (argument.StartsWith(' '))
            argument = argument[1..];

        return keyword switch
        {
            "S" => new ScenarioStep.Send(origin, Encoding.UTF8.GetBytes(argument + "\r\n")),
            "S-RAW" => new ScenarioStep.Send(origin, ParseRaw(argument)),
            "S-REPEAT" => ParseRepeat(argument, origin, raw: false),
            "S-RAW-REPEAT" => ParseRepeat(argument, origin, raw: true),
            "S-FILE" => new ScenarioStep.SendMessage(origin, MessageName(argument), HeadersOnly: false),
            "S-HEADERS" => new ScenarioStep.SendMessage(origin, MessageName(argument), HeadersOnly: true),
            "C" => argument.Length > 0 ? new ScenarioStep.Expect(origin, argument) : throw new FormatException("C: needs a line to expect, or *"),
            _ => throw new FormatException($"unknown step '{keyword}'"),
        };
    }

    // Checked now rather than when the step runs, so a misspelt name fails the test at once.
    static string MessageName(string argument)
    {
        string name = argument.Trim();
        if (name.Length == 0)
            throw new FormatException("S-FILE and S-HEADERS need a message name");
        ScenarioResources.ReadMessage(name);
        return name;
    }

    static ScenarioStep ParseRepeat(string argument, string origin, bool raw)
    {
        int space = argument.IndexOf(' ');
        string count = space < 0 ? argument : argument[..space];
        if (!long.TryParse(count.Replace("_", string.Empty), NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n < 1)
            throw new FormatException("S-REPEAT and S-RAW-REPEAT need a positive count, then the text");
        string repeated = space < 0 ? string.Empty : argument[(space + 1)..];
        byte[] bytes = raw ? ParseRaw(repeated) : Encoding.UTF8.GetBytes(repeated + "\r\n");
        if (bytes.Length == 0)
            throw new FormatException("S-RAW-REPEAT needs text to repeat");
        return new ScenarioStep.SendRepeated(origin, n, bytes);
    }

    /// <summary>Decodes an S-RAW argument: base64 after "base64:", else text with backslash escapes.</summary>
    /// <exception cref="FormatException">An unknown escape or invalid base64.</exception>
    public static byte[] ParseRaw(string argument)
    {
        if (argument.StartsWith(Base64Prefix, StringComparison.Ordinal))
            return Convert.FromBase64String(argument[Base64Prefix.Length..].Trim());

        var bytes = new List<byte>(argument.Length);
        var literal = new StringBuilder();
        for (int i = 0; i < argument.Length; i++)
        {
            if (argument[i] != '\\')
            {
                // Characters stand for themselves in UTF-8, so a raw line can carry non-ASCII text too.
                literal.Append(argument[i]);
                continue;
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
            literal.Clear();
            if (++i == argument.Length)
                throw new FormatException("a backslash at the end of S-RAW escapes nothing");
            switch (argument[i])
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'e': bytes.Add(0x1B); break;
                case '0': bytes.Add(0); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x' when i + 2 < argument.Length && byte.TryParse(argument.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b):
                    bytes.Add(b);
                    i += 2;
                    break;
                default:
                    throw new FormatException($"unknown escape '\\{argument[i]}' (use \\r \\n \\t \\e \\0 \\\\ or \\xHH)");
            }
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
        return bytes.ToArray();
    }
}
