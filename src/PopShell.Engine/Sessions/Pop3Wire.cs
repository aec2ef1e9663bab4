using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using MailKit.Security;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The POP3 wire: commands out, status lines and multi-line replies in, over the socket or the TLS
    /// stream on top of it. Everything the server sends passes here once: each read is shown to the
    /// <see cref="ServerReplyObserver"/>, multi-line data is dot-unstuffed as it streams to its
    /// destination, and a reply longer than its caller allows fails before it is held in memory.
    /// After any failure to read or write, or a reply that is not POP3, the wire is broken for good:
    /// nothing may be sent on a stream whose next byte cannot be attributed to a command.
    /// </summary>
    // A little over 400 lines: the buffer, its line reader and the multi-line reader share one
    // state (what is buffered, whether the wire is broken); split apart, each would reach into it.
    internal sealed class Pop3Wire : IDisposable
    {
        const int BufferSize = 64 * 1024;

        static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

        readonly GuardedSocketStream socket;
        readonly ServerReplyObserver observer;
        readonly byte[] buffer = new byte[BufferSize];
        // Unstuffed data gathers here, so the destination gets large writes, not one per line.
        readonly byte[] output = new byte[BufferSize];
        Stream stream;
        int start;
        int end;
        bool broken;

        public Pop3Wire(GuardedSocketStream socket, ServerReplyObserver observer)
        {
            this.socket = socket;
            this.observer = observer;
            stream = socket;
        }

        /// <summary>Whether the wire can still be used: not closed, and never failed.</summary>
        public bool IsConnected => !broken;

        /// <summary>The TLS stream, once encrypted.</summary>
        public SslStream? Tls { get; private set; }

        /// <summary>Sends one command; <paramref name="logAs"/> replaces it in the protocol log when it carries a secret.</summary>
        public void Send(string command, string? logAs = null)
        {
            var bytes = Utf8.GetBytes(command + "\r\n");
            var logged = logAs == null ? bytes : Utf8.GetBytes(logAs + "\r\n");
            Write(bytes, logged);
        }

        /// <summary>Sends commands in one write, for a server that allows pipelining (RFC 2449).</summary>
        public void SendPipelined(IReadOnlyList<string> commands)
        {
            var text = new StringBuilder();
            foreach (string command in commands)
                text.Append(command).Append("\r\n");
            var bytes = Utf8.GetBytes(text.ToString());
            Write(bytes, bytes);
        }

        void Write(byte[] bytes, byte[] logged)
        {
            EnsureUsable();
            observer.LogClient(logged, 0, logged.Length);
            try
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
            }
            catch
            {
                broken = true;
                throw;
            }
        }

        /// <summary>
        /// Reads one status line. With <paramref name="continuation"/> (a SASL exchange), a "+" line is
        /// a challenge; otherwise anything but +OK and -ERR is a protocol violation.
        /// </summary>
        public Pop3Reply ReadReply(bool continuation = false)
        {
            string line = Utf8.GetString(ReadLine());
            if (line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
                return new Pop3Reply(Pop3Status.Ok, line.Substring(3).Trim(), line);
            if (line.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase))
                return new Pop3Reply(Pop3Status.Error, line.Substring(4).Trim(), line);
            if (continuation && line.StartsWith("+", StringComparison.Ordinal))
                return new Pop3Reply(Pop3Status.Continue, line.Substring(1).Trim(), line);
            broken = true;
            throw new Pop3FramingException($"Unexpected response from server: {line}");
        }

        /// <summary>Reads the lines of a multi-line reply (CAPA, UIDL, LIST) up to its "." line, dot-unstuffed.</summary>
        public List<string> ReadLines()
        {
            var lines = new List<string>();
            while (true)
            {
                var line = ReadLine();
                if (line.Length == 1 && line[0] == '.')
                    return lines;
                int skip = line.Length > 1 && line[0] == '.' && line[1] == '.' ? 1 : 0;
                lines.Add(Utf8.GetString(line, skip, line.Length - skip));
            }
        }

        /// <summary>
        /// Streams the data of a multi-line reply (RETR, TOP) to <paramref name="destination"/>, dot-unstuffed,
        /// up to its terminating "." line; returns the bytes written. More than <paramref name="limit"/>
        /// bytes fail with <see cref="ReplyTooLongException"/>, and a destination that cannot be written
        /// with <see cref="DestinationFailedException"/>; either breaks the wire.
        /// </summary>
        /// <remarks>
        /// Like MailKit and most clients, a "." line ends the data whether it ends in CRLF or a bare LF, and
        /// only a doubled leading dot is unstuffed. A server that does not stuff bare-LF lines lets a
        /// sender end a message early this way: the LIST-size check after this call is what catches it.
        /// </remarks>
        public long ReadData(Stream destination, long limit)
        {
            long total = 0;
            int gathered = 0;
            bool lineStart = true;
            try
            {
                while (true)
                {
                    if (start == end)
                        Fill(1);
                    if (lineStart)
                    {
                        if (buffer[start] == '.')
                        {
                            Fill(2);
                            if (buffer[start + 1] == '\n')
                            {
                                start += 2;
                                Flush(destination, ref gathered);
                                return total;
                            }
                            if (buffer[start + 1] == '\r')
                            {
                                Fill(3);
                                if (buffer[start + 2] == '\n')
                                {
                                    start += 3;
                                    Flush(destination, ref gathered);
                                    return total;
                                }
                            }
                            else if (buffer[start + 1] == '.')
                            {
                                start++;
                            }
                        }
                        lineStart = false;
                    }

                    // Copy up to the next line that starts with a dot (or whose start is not here yet).
                    int from = start;
                    int scan = start;
                    while (true)
                    {
                        int newline = Array.IndexOf(buffer, (byte)'\n', scan, end - scan);
                        if (newline < 0)
                        {
                            start = end;
                            break;
                        }
                        if (newline + 1 < end && buffer[newline + 1] != '.')
                        {
                            scan = newline + 1;
                            continue;
                        }
                        start = newline + 1;
                        lineStart = true;
                        break;
                    }
                    int count = start - from;
                    total += count;
                    if (total > limit)
                        throw new ReplyTooLongException(limit);
                    if (gathered + count > output.Length)
                        Flush(destination, ref gathered);
                    if (count >= output.Length)
                        Deliver(destination, buffer, from, count);
                    else
                    {
                        Buffer.BlockCopy(buffer, from, output, gathered, count);
                        gathered += count;
                    }
                }
            }
            catch (Exception ex) when (ex is ReplyTooLongException or IOException or ObjectDisposedException or Pop3FramingException or DestinationFailedException)
            {
                broken = true;
                throw;
            }
        }

        void Flush(Stream destination, ref int gathered)
        {
            if (gathered == 0)
                return;
            Deliver(destination, output, 0, gathered);
            gathered = 0;
        }

        // A failing destination (a full disk) is not the connection's failure: it is reported as what it is.
        static void Deliver(Stream destination, byte[] bytes, int offset, int count)
        {
            try
            {
                destination.Write(bytes, offset, count);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DestinationFailedException(ex);
            }
        }

        /// <summary>
        /// Starts TLS on the connection (implicit TLS, or after +OK to STLS). Whatever the server sent
        /// after the STLS reply and before the handshake is dropped, never read as a reply (CVE-2026-41319);
        /// <see cref="GuardedSocketStream.InjectionAfterStls"/> says whether there was any.
        /// </summary>
        public void StartTls(string host, SslProtocols protocols, RemoteCertificateValidationCallback validate)
        {
            EnsureUsable();
            start = end = 0;
            var tls = NewSslStream(validate);
            try
            {
                tls.AuthenticateAsClient(host, null, protocols, checkCertificateRevocation: true);
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
            {
                broken = true;
                tls.Dispose();
                throw new SslHandshakeException($"TLS handshake failed: {ex.Message}", ex);
            }
            Tls = tls;
            stream = tls;
        }

        // MailKit's SslStream (a System.Net.Security.SslStream) also gives its SCRAM-*-PLUS mechanisms the
        // channel binding of the connection; where this MailKit has none, the plain one does the same
        // TLS, and only -PLUS logins cannot bind.
        SslStream NewSslStream(RemoteCertificateValidationCallback validate)
        {
            var mailKits = typeof(SaslMechanism).Assembly.GetType("MailKit.Net.SslStream");
            if (mailKits != null && typeof(SslStream).IsAssignableFrom(mailKits))
            {
                try
                {
                    return (SslStream)Activator.CreateInstance(mailKits, socket, true, validate)!;
                }
                catch (MissingMethodException)
                {
                }
            }
            return new SslStream(socket, leaveInnerStreamOpen: true, validate);
        }

        /// <summary>Closes the connection at once; the wire cannot be used again.</summary>
        public void Dispose()
        {
            broken = true;
            Tls?.Dispose();
            socket.Dispose();
        }

        void EnsureUsable()
        {
            if (broken)
                throw new MailKit.ServiceNotConnectedException("The POP3 connection is closed.");
        }

        // One line, without its line end (LF, or CRLF).
        byte[] ReadLine()
        {
            EnsureUsable();
            MemoryStream? longLine = null;
            try
            {
                while (true)
                {
                    if (start == end)
                        Fill(1);
                    int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                    if (newline < 0)
                    {
                        // The socket's receive budget bounds how long this can grow.
                        longLine ??= new MemoryStream();
                        longLine.Write(buffer, start, end - start);
                        start = end;
                        continue;
                    }
                    int length = newline - start;
                    byte[] line;
                    if (longLine == null)
                    {
                        line = new byte[length];
                        Buffer.BlockCopy(buffer, start, line, 0, length);
                    }
                    else
                    {
                        longLine.Write(buffer, start, length);
                        line = longLine.ToArray();
                    }
                    start = newline + 1;
                    return line.Length > 0 && line[line.Length - 1] == '\r' ? Trim(line) : line;
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or Pop3FramingException)
            {
                broken = true;
                throw;
            }
        }

        static byte[] Trim(byte[] line)
        {
            var trimmed = new byte[line.Length - 1];
            Buffer.BlockCopy(line, 0, trimmed, 0, trimmed.Length);
            return trimmed;
        }

        // Makes at least `needed` unread bytes available, reading from the stream as often as it takes.
        void Fill(int needed)
        {
            while (end - start < needed)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int read = stream.Read(buffer, end, buffer.Length - end);
                if (read <= 0)
                    throw new Pop3FramingException("The POP3 server has unexpectedly disconnected.");
                observer.LogServer(buffer, end, read);
                end += read;
            }
        }
    }

    /// <summary>The status of a reply.</summary>
    internal enum Pop3Status
    {
        /// <summary>+OK</summary>
        Ok,
        /// <summary>-ERR</summary>
        Error,
        /// <summary>"+ " in a SASL exchange: a challenge.</summary>
        Continue,
    }

    /// <summary>One status line: its status, the text after the status token, and the whole line.</summary>
    internal readonly record struct Pop3Reply(Pop3Status Status, string Text, string Line)
    {
        public bool IsOk => Status == Pop3Status.Ok;
    }

    /// <summary>The server answered a command with -ERR.</summary>
    internal sealed class Pop3ReplyException : Exception
    {
        public Pop3ReplyException(string command, Pop3Reply reply)
            : base($"The POP3 server refused {command}: {reply.Text}")
        {
            StatusText = reply.Text;
        }

        /// <summary>What the server said after -ERR.</summary>
        public string StatusText { get; }
    }

    /// <summary>The server sent something that is not POP3, or hung up mid-reply: the stream is out of step.</summary>
    internal sealed class Pop3FramingException : Exception
    {
        public Pop3FramingException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The data of a reply could not be written where it was going (e.g. the disk is full).</summary>
    internal sealed class DestinationFailedException : Exception
    {
        public DestinationFailedException(Exception inner)
            : base(inner.Message, inner)
        {
        }
    }

    /// <summary>A multi-line reply went past what its command allows.</summary>
    internal sealed class ReplyTooLongException : IOException
    {
        public ReplyTooLongException(long limit)
            : base($"The server sent more than the {limit} bytes allowed for this reply.")
        {
            Limit = limit;
        }

        /// <summary>The bytes the reply was allowed.</summary>
        public long Limit { get; }
    }
}
