// A minimal POP3 client: the limit for exporting a mailbox over TLS. It reads POP3 with the tests'
// raw client (tests/Support/RawPop3), so the benchmark and the tests share one reader.
// Connects with implicit TLS (certificate accepted only by SHA-256 thumbprint), USER/PASS, LIST,
// then writes every "RETR n" (or "TOP n 0" with --top) at once and reads the answers as they come,
// dot-unstuffing each message straight into <out>/<n>.eml. Then QUIT.
// With --delete-before DATE (the filtered delete): "TOP n 0" for every message, pipelined; each
// header's Date is parsed and every message dated earlier than DATE gets a "DELE n", all pipelined;
// every reply must be +OK. Then RSET (so the server deletes nothing: the mailbox stays intact for
// the next round and Dovecot's expunge is not measured) and QUIT. Prints how many it marked.
//
// Usage: RawPop3Client --host H --port P --user U --thumb SHA256HEX (--out DIR | --top | --delete-before DATE)
//        DATE is ISO 8601 with an offset, e.g. 2024-01-05T08:00:00+01:00.
//        The password comes from the environment variable BENCH_PASS.
using System.Text;
using PopShell.RawPop3;

var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
bool topMode = false;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--top") { topMode = true; continue; }
    if (!args[i].StartsWith("--") || i + 1 >= args.Length) { Console.Error.WriteLine($"Bad argument '{args[i]}'."); return 2; }
    options[args[i][2..]] = args[++i];
}
string host = options.GetValueOrDefault("host", "127.0.0.1");
int port = int.Parse(options["port"]);
string user = options["user"];
string password = Environment.GetEnvironmentVariable("BENCH_PASS") ?? throw new InvalidOperationException("Set BENCH_PASS.");
string thumb = options["thumb"].Replace(":", "").ToUpperInvariant();
string? outDir = options.GetValueOrDefault("out");
DateTimeOffset? deleteBefore = options.TryGetValue("delete-before", out var cutoffText)
    ? DateTimeOffset.Parse(cutoffText, System.Globalization.CultureInfo.InvariantCulture)
    : null;
if (deleteBefore is not null) topMode = true; // the filter reads headers only
if (!topMode && outDir is null) { Console.Error.WriteLine("--out is required without --top or --delete-before."); return 2; }
if (outDir is not null) Directory.CreateDirectory(outDir);

var started = System.Diagnostics.Stopwatch.StartNew();
using var connection = RawPop3Connection.Open(host, port, 120, thumb);

void Send(string line) => connection.Send(line);
string Status(string what)
{
    string s = connection.ReadStatusLine();
    if (!s.StartsWith("+OK")) throw new IOException($"{what}: {s}");
    return s;
}

Send("USER " + user); Status("USER");
Send("PASS " + password); Status("PASS");
Send("LIST"); Status("LIST");
var numbers = new List<int>();
long listedBytes = 0;
while (true)
{
    string line = connection.ReadStatusLine();
    if (line == ".") break;
    var parts = line.Split(' ');
    numbers.Add(int.Parse(parts[0]));
    listedBytes += long.Parse(parts[1]);
}

// All commands are written at once by a separate task, so a server that stops reading while its
// answers pile up can never deadlock us.
var commands = new StringBuilder();
foreach (int n in numbers) commands.Append(topMode ? $"TOP {n} 0\r\n" : $"RETR {n}\r\n");
var writer = connection.SendInBackground(commands.ToString());

long receivedBytes = 0;
var toDelete = new List<int>();
foreach (int n in numbers)
{
    Status(topMode ? $"TOP {n}" : $"RETR {n}");
    FileStream? file = topMode ? null : new FileStream(Path.Combine(outDir!, $"{n}.eml"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    // The Date field as it comes (a folded field's continuation lines appended), header lines only.
    string? dateField = null;
    bool inHeader = true, inDate = false;
    try
    {
        while (true)
        {
            var line = connection.ReadLine(); // includes CRLF
            if (RawPop3Connection.IsTerminator(line)) break;
            line = RawPop3Connection.Unstuff(line);
            receivedBytes += line.Length;
            file?.Write(line);
            if (deleteBefore is not null && inHeader)
            {
                if (line.Length <= 2 && (line[0] == '\r' || line[0] == '\n')) { inHeader = false; continue; }
                if (inDate && (line[0] == ' ' || line[0] == '\t')) { dateField += Encoding.ASCII.GetString(line).TrimEnd('\r', '\n'); continue; }
                inDate = line.Length > 5 && Ascii.EqualsIgnoreCase(line[..5], "date:"u8);
                if (inDate) dateField = Encoding.ASCII.GetString(line[5..]).TrimEnd('\r', '\n');
            }
        }
    }
    finally { file?.Dispose(); }
    if (deleteBefore is not null && dateField is not null && Rfc5322Date.TryParse(dateField, out var date) && date < deleteBefore)
        toDelete.Add(n);
}
writer.Wait();

if (deleteBefore is not null)
{
    // All DELEs at once, again from a separate task; every reply must be +OK.
    var deletes = new StringBuilder();
    foreach (int n in toDelete) deletes.Append($"DELE {n}\r\n");
    var deleteWriter = connection.SendInBackground(deletes.ToString());
    foreach (int n in toDelete) Status($"DELE {n}");
    deleteWriter.Wait();
    // Unmark everything, so QUIT deletes nothing (the mailbox is re-read next round).
    Send("RSET"); Status("RSET");
}
Send("QUIT"); Status("QUIT");
if (deleteBefore is not null)
    Console.WriteLine($"raw: marked {toDelete.Count} of {numbers.Count} messages dated before {deleteBefore:O} (then RSET), {started.Elapsed.TotalSeconds:F3} s");
else
    Console.WriteLine($"raw: {numbers.Count} messages, {receivedBytes} bytes received ({listedBytes} listed), {started.Elapsed.TotalSeconds:F3} s");
return 0;

/// <summary>
/// RFC 5322 date-time: [day-of-week ","] day month year hour ":" minute [":" second] zone, where zone
/// is +hhmm/-hhmm or an obsolete name (UT, GMT, Z, EST...); comments in parentheses are ignored.
/// </summary>
static class Rfc5322Date
{
    static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    static readonly Dictionary<string, int> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["GMT"] = 0, ["Z"] = 0, ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\([^)]*\)", " ");
        int comma = text.IndexOf(',');
        if (comma >= 0) text = text[(comma + 1)..];
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4) return false;
        if (!int.TryParse(parts[0], out int day)) return false;
        int month = Array.IndexOf(Months, parts[1].ToLowerInvariant()) + 1;
        if (month == 0 || !int.TryParse(parts[2], out int year)) return false;
        if (year < 50) year += 2000; else if (year < 1000) year += 1900;
        var time = parts[3].Split(':');
        if (time.Length < 2 || !int.TryParse(time[0], out int hour) || !int.TryParse(time[1], out int minute)) return false;
        int second = time.Length > 2 && int.TryParse(time[2], out int s) ? s : 0;
        var offset = TimeSpan.Zero;
        if (parts.Length > 4)
        {
            string zone = parts[4];
            if (zone.Length == 5 && (zone[0] == '+' || zone[0] == '-') && int.TryParse(zone.AsSpan(1), out int hhmm))
                offset = new TimeSpan(hhmm / 100, hhmm % 100, 0) * (zone[0] == '-' ? -1 : 1);
            else if (Zones.TryGetValue(zone, out int hours))
                offset = TimeSpan.FromHours(hours);
        }
        try { value = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset); return true; }
        catch (ArgumentOutOfRangeException) { return false; }
    }
}
