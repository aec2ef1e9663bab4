using System.Text;

namespace PopShell.TestServer;

/// <summary>
/// Reads the client's lines, keeping what arrived beyond the current line: a pipelining client
/// sends several commands in one packet, and each must meet its own <c>C:</c> step.
/// </summary>
internal sealed class ClientLineReader
{
    // Far above any POP3 command (RFC 2449 allows 255 octets); a longer "line" is cut, not buffered forever.
    const int MaxLine = 64 * 1024;

    readonly Stream stream;
    readonly byte[] buffer = new byte[8192];
    readonly MemoryStream pending = new();
    int start;
    int end;

    public ClientLineReader(Stream stream)
    {
        this.stream = stream;
    }

    /// <summary>Whether a whole line has already been read from the socket and waits here.</summary>
    public bool HasBufferedLine => Array.IndexOf(buffer, (byte)'\n', start, end - start) >= 0;

    /// <summary>The next line without its line end (CRLF or LF), or null once the client has closed its side.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        pending.SetLength(0);
        while (true)
        {
            int lf = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (lf >= 0)
            {
                pending.Write(buffer, start, lf - start);
                start = lf + 1;
                return Decode();
            }
            pending.Write(buffer, start, end - start);
            start = end = 0;
            if (pending.Length >= MaxLine)
                return Decode();

            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                return null; // Reset by the client: as closed.
            }
            if (read == 0)
                return pending.Length > 0 ? Decode() : null;
            end = read;
        }
    }

    string Decode()
    {
        var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        if (bytes.Length > 0 && bytes[^1] == '\r')
            bytes = bytes[..^1];
        return Encoding.UTF8.GetString(bytes);
    }
}
