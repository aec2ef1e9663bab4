using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PopShell.RawPop3;

/// <summary>
/// A minimal POP3 client over a plain or implicit-TLS connection: the independent view of a server
/// that the tests check PopShell against (through TestPop3Client.psm1) and the speed limit the
/// benchmark measures it against (tests/Bench/RawPop3Client). Lines are bytes, exactly as sent;
/// every read is bounded by the timeout; a server that hangs up or resets the connection is an
/// <see cref="EndOfStreamException"/>, anything else that fails (a timeout) an <see cref="IOException"/>
/// naming the server.
/// </summary>
public sealed class RawPop3Connection : IDisposable
{
    readonly TcpClient tcp;
    readonly Stream stream;
    byte[] buffer = new byte[1 << 18];
    int start, end;
    byte[] line = new byte[1 << 12];

    RawPop3Connection(string endpoint, TcpClient tcp, Stream stream)
    {
        Endpoint = endpoint;
        this.tcp = tcp;
        this.stream = stream;
    }

    /// <summary>"host:port", for messages.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Connects, with implicit TLS when <paramref name="pinnedSha256"/> is given (only a certificate with
    /// that SHA-256 thumbprint is accepted; null or empty, as PowerShell passes $null: no TLS), and
    /// reads the greeting, which must be +OK.
    /// </summary>
    public static RawPop3Connection Open(string host, int port, int timeoutSeconds, string? pinnedSha256 = null)
    {
        string endpoint = $"{host}:{port}";
        var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        try
        {
            if (!tcp.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(timeoutSeconds)))
                throw new IOException($"no connection within {timeoutSeconds} s");
            var network = tcp.GetStream();
            network.ReadTimeout = network.WriteTimeout = timeoutSeconds * 1000;
            Stream stream = network;
            if (!string.IsNullOrEmpty(pinnedSha256))
            {
                string pin = pinnedSha256.Replace(":", "").ToUpperInvariant();
                var ssl = new SslStream(network, false, (_, cert, _, _) => cert != null && Convert.ToHexString(SHA256.HashData(cert.GetRawCertData())) == pin);
                ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost" });
                stream = ssl;
            }
            var connection = new RawPop3Connection(endpoint, tcp, stream);
            string greeting = connection.ReadStatusLine();
            if (!greeting.StartsWith("+OK", StringComparison.Ordinal))
                throw new IOException($"unexpected greeting '{greeting}'");
            return connection;
        }
        catch (Exception ex)
        {
            tcp.Dispose();
            throw new IOException($"POP3 connection to {endpoint} failed: {(ex.GetBaseException()).Message}", ex);
        }
    }

    /// <summary>The next line, its line ending included; valid until the next read.</summary>
    public ReadOnlySpan<byte> ReadLine()
    {
        int length = 0;
        while (true)
        {
            int lineFeed = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (lineFeed >= 0)
            {
                int count = lineFeed + 1 - start;
                if (length == 0)
                {
                    var span = new ReadOnlySpan<byte>(buffer, start, count);
                    start += count;
                    return span;
                }
                Append(ref length, count);
                return new ReadOnlySpan<byte>(line, 0, length);
            }
            // No line end in the buffer: keep what there is and read more.
            Append(ref length, end - start);
            start = 0;
            end = Receive(buffer, 0, buffer.Length);
        }
    }

    /// <summary>The next line as a new array (for PowerShell, which cannot hold a span).</summary>
    public byte[] ReadLineBytes() => ReadLine().ToArray();

    /// <summary>The next line as text without its line ending; Latin-1, so no byte is ever lost or refused.</summary>
    public string ReadStatusLine() => Encoding.Latin1.GetString(ReadLine()).TrimEnd('\r', '\n');

    /// <summary>Whether <paramref name="line"/> is the lone "." that ends a multi-line reply.</summary>
    public static bool IsTerminator(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[0] == '.' && (line.Length == 2 && line[1] == '\n' || line.Length == 3 && line[1] == '\r' && line[2] == '\n');

    /// <summary>A line of a multi-line reply without the '.' that dot-stuffing added (RFC 1939, 3).</summary>
    public static ReadOnlySpan<byte> Unstuff(ReadOnlySpan<byte> line) => line.Length > 0 && line[0] == '.' ? line[1..] : line;

    /// <summary>A multi-line reply's body up to the lone '.', dot-unstuffed, line endings kept, without the '.' line.</summary>
    public byte[] ReadMultiLine()
    {
        var body = new MemoryStream();
        while (true)
        {
            var next = ReadLine();
            if (IsTerminator(next))
                return body.ToArray();
            body.Write(Unstuff(next));
        }
    }

    /// <summary>Sends one command (UTF-8, so non-ASCII user names and passwords arrive as servers expect).</summary>
    public void Send(string command) => Write(Encoding.UTF8.GetBytes(command + "\r\n"));

    /// <summary>
    /// Writes pipelined commands from another task, so a server that stops reading while its
    /// answers pile up can never deadlock the reader; wait for the task once the answers are read.
    /// </summary>
    public Task SendInBackground(string commands)
    {
        var bytes = Encoding.UTF8.GetBytes(commands);
        return Task.Run(async () => { await stream.WriteAsync(bytes); await stream.FlushAsync(); });
    }

    /// <summary>
    /// After +OK to QUIT, waits (within the read timeout) until the server hangs up. Courier answers
    /// QUIT before it has deleted the marked messages' files; once it has hung up, its work is done.
    /// </summary>
    public void WaitForHangUp()
    {
        var scratch = new byte[4096];
        try
        {
            while (stream.Read(scratch, 0, scratch.Length) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a hang-up too.
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        stream.Dispose();
        tcp.Dispose();
    }

    void Append(ref int length, int count)
    {
        if (length + count > line.Length)
            Array.Resize(ref line, Math.Max(line.Length * 2, length + count));
        Buffer.BlockCopy(buffer, start, line, length, count);
        length += count;
        start += count;
    }

    int Receive(byte[] into, int offset, int count)
    {
        int received;
        try
        {
            received = stream.Read(into, offset, count);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } socket)
        {
            throw new EndOfStreamException($"The POP3 server at {Endpoint} closed the connection ({socket.SocketErrorCode}).", ex);
        }
        catch (IOException ex)
        {
            throw new IOException($"Reading from {Endpoint} failed: {ex.GetBaseException().Message}", ex);
        }
        if (received == 0)
            throw new EndOfStreamException($"The POP3 server at {Endpoint} closed the connection.");
        return received;
    }

    void Write(byte[] bytes)
    {
        try
        {
            stream.Write(bytes);
            stream.Flush();
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } socket)
        {
            throw new EndOfStreamException($"The POP3 server at {Endpoint} closed the connection ({socket.SocketErrorCode}).", ex);
        }
        catch (IOException ex)
        {
            throw new IOException($"Writing to {Endpoint} failed: {ex.GetBaseException().Message}", ex);
        }
    }
}
