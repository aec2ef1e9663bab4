using System.Net.Sockets;

namespace PopShell.TestServer;

/// <summary>
/// Plays one scenario on one accepted connection and records what the client sent. A client that
/// hangs up or a server being disposed ends the session quietly; only a departure from the
/// script is a failure.
/// </summary>
internal sealed class ScenarioSession
{
    // Big enough that streaming a huge S-REPEAT costs few writes.
    const int RepeatChunk = 64 * 1024;

    static readonly byte[] UnexpectedReply = "-ERR unexpected\r\n"u8.ToArray();
    static readonly byte[] Terminator = ".\r\n"u8.ToArray();

    readonly Socket socket;
    readonly NetworkStream stream;
    readonly ClientLineReader reader;
    readonly Scenario scenario;
    readonly int connection;
    readonly Transcript transcript;
    bool repliedSinceLastLine;

    ScenarioSession(Socket socket, Scenario scenario, int connection, Transcript transcript)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = new ClientLineReader(stream);
        this.scenario = scenario;
        this.connection = connection;
        this.transcript = transcript;
    }

    /// <summary>Runs <paramref name="scenario"/> on <paramref name="socket"/> (connection number <paramref name="connection"/>, from 1) and closes it.</summary>
    public static async Task RunAsync(Socket socket, Scenario scenario, int connection, Transcript transcript, CancellationToken stopping)
    {
        var session = new ScenarioSession(socket, scenario, connection, transcript);
        try
        {
            await session.PlayAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The server is being disposed.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client hung up while the server was sending; what it sent until then is recorded.
        }
        catch (Exception ex)
        {
            // Anything else is a bug in the server or a scenario: it must fail the test, not vanish in a background task.
            transcript.Failed($"Connection {connection}, scenario '{scenario.Name}': the server failed: {ex.Message}");
        }
        finally
        {
            session.stream.Dispose();
            socket.Dispose();
        }
    }

    async Task PlayAsync(CancellationToken stopping)
    {
        foreach (var step in scenario.Steps)
        {
            switch (step)
            {
                case ScenarioStep.Send send:
                    await stream.WriteAsync(send.Bytes, stopping);
                    repliedSinceLastLine = true;
                    break;
                case ScenarioStep.SendRepeated repeated:
                    await SendRepeatedAsync(repeated, stopping);
                    repliedSinceLastLine = true;
                    break;
                case ScenarioStep.SendMessage message:
                    await stream.WriteAsync(DotStuffed(ScenarioResources.MessageLines(message.Name, message.HeadersOnly)), stopping);
                    repliedSinceLastLine = true;
                    break;
                case ScenarioStep.Expect expect:
                    // A line already read from the socket when the server has replied since the last one
                    // was sent before that reply arrived: the client pipelined it.
                    bool beforeReply = repliedSinceLastLine && reader.HasBufferedLine;
                    repliedSinceLastLine = false;
                    string? line = await reader.ReadLineAsync(stopping);
                    if (line == null)
                    {
                        transcript.Failed($"{Where(expect)}: the client hung up where the script expected 'C: {expect.Pattern}'.");
                        return;
                    }
                    transcript.Received(line, beforeReply);
                    if (!expect.Matches(line))
                    {
                        transcript.Failed($"{Where(expect)}: expected 'C: {expect.Pattern}', the client sent '{line}'.");
                        await stream.WriteAsync(UnexpectedReply, stopping);
                        await CloseAsync(stopping);
                        return;
                    }
                    break;
                case ScenarioStep.Close:
                    await CloseAsync(stopping);
                    return;
                case ScenarioStep.Reset:
                    // Linger 0 makes Close send RST instead of FIN: the client sees "connection reset".
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                case ScenarioStep.Stall:
                    await RecordUntilClientHangsUpAsync(stopping);
                    return;
            }
        }
        await CloseAsync(stopping);
    }

    // Half-close: the client reads end of stream, as from a server that closed, yet what it sends
    // afterwards (a QUIT, a DELE) still reaches the transcript, so a test can assert it never came.
    async Task CloseAsync(CancellationToken stopping)
    {
        socket.Shutdown(SocketShutdown.Send);
        await RecordUntilClientHangsUpAsync(stopping);
    }

    async Task RecordUntilClientHangsUpAsync(CancellationToken stopping)
    {
        while (await reader.ReadLineAsync(stopping) is { } line)
            transcript.Received(line);
    }

    async Task SendRepeatedAsync(ScenarioStep.SendRepeated step, CancellationToken stopping)
    {
        int perChunk = Math.Max(1, RepeatChunk / step.LineBytes.Length);
        var chunk = new byte[perChunk * step.LineBytes.Length];
        for (int i = 0; i < perChunk; i++)
            step.LineBytes.CopyTo(chunk, i * step.LineBytes.Length);

        for (long left = step.Count; left > 0; left -= perChunk)
        {
            int lines = (int)Math.Min(perChunk, left);
            await stream.WriteAsync(chunk.AsMemory(0, lines * step.LineBytes.Length), stopping);
        }
    }

    // RFC 1939 section 3: a line that starts with "." gets one more, and "." alone ends the response.
    static byte[] DotStuffed(IReadOnlyList<byte[]> lines)
    {
        var output = new MemoryStream();
        foreach (var line in lines)
        {
            if (line.Length > 0 && line[0] == '.')
                output.WriteByte((byte)'.');
            output.Write(line);
            output.Write("\r\n"u8);
        }
        output.Write(Terminator);
        return output.ToArray();
    }

    string Where(ScenarioStep step) => $"Connection {connection}, scenario '{scenario.Name}' at {step.Origin}";
}
