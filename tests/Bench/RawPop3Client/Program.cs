// A minimal POP3 client: the limit for exporting a mailbox over TLS.
// Connects with implicit TLS (certificate accepted only by SHA-256 thumbprint), USER/PASS, LIST,
// then writes every "RETR n" (or "TOP n 0" with --top) at once and reads the answers as they come,
// dot-unstuffing each message straight into <out>/<n>.eml. Then QUIT.
//
// Usage: RawPop3Client --host H --port P --user U --thumb SHA256HEX --out DIR [--top]
//        the password comes from the environment variable BENCH_PASS.
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

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
if (!topMode && outDir is null) { Console.Error.WriteLine("--out is required without --top."); return 2; }
if (outDir is not null) Directory.CreateDirectory(outDir);

var started = System.Diagnostics.Stopwatch.StartNew();
using var tcp = new TcpClient { NoDelay = true };
tcp.Connect(host, port);
using var ssl = new SslStream(tcp.GetStream(), false, (_, cert, _, _) =>
    cert is not null && Convert.ToHexString(SHA256.HashData(cert.GetRawCertData())) == thumb);
ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost" });
var reader = new Pop3Reader(ssl);

void Send(string line) { var b = Encoding.UTF8.GetBytes(line + "\r\n"); ssl.Write(b); ssl.Flush(); }
string Status(string what)
{
    string s = reader.ReadLineString();
    if (!s.StartsWith("+OK")) throw new IOException($"{what}: {s}");
    return s;
}

Status("greeting");
Send("USER " + user); Status("USER");
Send("PASS " + password); Status("PASS");
Send("LIST"); Status("LIST");
var numbers = new List<int>();
long listedBytes = 0;
while (true)
{
    string line = reader.ReadLineString();
    if (line == ".") break;
    var parts = line.Split(' ');
    numbers.Add(int.Parse(parts[0]));
    listedBytes += long.Parse(parts[1]);
}

// All commands are written at once by a separate task, so a server that stops reading while its
// answers pile up can never deadlock us.
var commands = new StringBuilder();
foreach (int n in numbers) commands.Append(topMode ? $"TOP {n} 0\r\n" : $"RETR {n}\r\n");
var commandBytes = Encoding.ASCII.GetBytes(commands.ToString());
var writer = Task.Run(async () => { await ssl.WriteAsync(commandBytes); await ssl.FlushAsync(); });

long receivedBytes = 0;
foreach (int n in numbers)
{
    Status(topMode ? $"TOP {n}" : $"RETR {n}");
    FileStream? file = topMode ? null : new FileStream(Path.Combine(outDir!, $"{n}.eml"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    try
    {
        while (true)
        {
            var line = reader.ReadLine(); // includes CRLF
            if (line.Length >= 1 && line[0] == (byte)'.')
            {
                if (line.Length == 3 && line[1] == '\r' && line[2] == '\n') break;
                if (line.Length == 2 && line[1] == '\n') break;
                line = line[1..]; // dot-unstuff
            }
            receivedBytes += line.Length;
            file?.Write(line);
        }
    }
    finally { file?.Dispose(); }
}
writer.Wait();
Send("QUIT"); Status("QUIT");
Console.WriteLine($"raw: {numbers.Count} messages, {receivedBytes} bytes received ({listedBytes} listed), {started.Elapsed.TotalSeconds:F3} s");
return 0;

/// <summary>Buffered line reader over a stream; a returned line is valid until the next call.</summary>
sealed class Pop3Reader(Stream stream)
{
    byte[] _buffer = new byte[1 << 18];
    int _start, _end;
    byte[] _line = new byte[1 << 12];

    public ReadOnlySpan<byte> ReadLine()
    {
        int lineLength = 0;
        while (true)
        {
            int index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (index >= 0)
            {
                int count = index + 1 - _start;
                if (lineLength == 0) { var span = new ReadOnlySpan<byte>(_buffer, _start, count); _start += count; return span; }
                Append(ref lineLength, count);
                return new ReadOnlySpan<byte>(_line, 0, lineLength);
            }
            // No line end in the buffer: keep what there is and read more.
            Append(ref lineLength, _end - _start);
            _start = 0;
            _end = stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0) throw new EndOfStreamException("The server closed the connection.");
        }
    }

    void Append(ref int lineLength, int count)
    {
        if (lineLength + count > _line.Length) Array.Resize(ref _line, Math.Max(_line.Length * 2, lineLength + count));
        Buffer.BlockCopy(_buffer, _start, _line, lineLength, count);
        lineLength += count;
        _start += count;
    }

    public string ReadLineString() => Encoding.UTF8.GetString(ReadLine()).TrimEnd('\r', '\n');
}
