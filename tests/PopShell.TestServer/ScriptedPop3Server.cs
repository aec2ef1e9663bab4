using System.Net;
using System.Net.Sockets;

namespace PopShell.TestServer;

/// <summary>
/// A POP3 server on 127.0.0.1 that plays scenarios (see <see cref="ScenarioParser"/>) instead of
/// serving a mailbox, for the faults a real server will not produce on demand: a connection cut
/// mid-message, a stall, a lying LIST size, a wrong reply to QUIT. Each accepted connection plays
/// one scenario from its start; what clients sent and where they left the script are recorded
/// for the test to assert on. Disposing stops it and closes every connection.
/// </summary>
public sealed class ScriptedPop3Server : IDisposable
{
    // Sessions end within milliseconds of a cancel; this only bounds Dispose if one does not.
    static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    readonly TcpListener listener;
    readonly IReadOnlyList<Scenario> scenarios;
    readonly bool repeat;
    readonly CancellationTokenSource stopping = new();
    readonly Transcript transcript = new();
    readonly List<Task> sessions = new();
    readonly Task accepting;
    int connections;
    bool disposed;

    /// <summary>Starts a server that plays <paramref name="scenario"/> on every connection.</summary>
    public ScriptedPop3Server(Scenario scenario)
        : this(new[] { scenario }, repeat: true)
    {
    }

    /// <summary>
    /// Starts a server that plays the first scenario on the first connection, the second on the
    /// second, and so on; a connection beyond the list is a failure and is closed at once.
    /// </summary>
    public ScriptedPop3Server(IEnumerable<Scenario> scenarios)
        : this(scenarios.ToArray(), repeat: false)
    {
    }

    ScriptedPop3Server(IReadOnlyList<Scenario> scenarios, bool repeat)
    {
        if (scenarios.Count == 0)
            throw new ArgumentException("A server needs at least one scenario.", nameof(scenarios));
        this.scenarios = scenarios;
        this.repeat = repeat;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Starts a server that plays the embedded scenario <c>Scenarios/<paramref name="name"/>.pop3</c> on every connection.</summary>
    public static ScriptedPop3Server FromScenario(string name) => new ScriptedPop3Server(Scenario.Load(name));

    /// <summary>Starts a server that plays the scenario written in <paramref name="text"/> on every connection.</summary>
    public static ScriptedPop3Server FromText(string text) => new ScriptedPop3Server(Scenario.Parse(text));

    /// <summary>The port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>How many connections the server has accepted.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>Every line the clients sent, without line ends, in order of arrival (all connections).</summary>
    public IReadOnlyList<string> ReceivedLines => transcript.Lines;

    /// <summary>
    /// Client lines that had arrived before the server's reply to the line before them: proof that the
    /// client pipelined. (The converse is not proof: pipelined lines may arrive in separate packets.)
    /// </summary>
    public IReadOnlyList<string> LinesSentBeforeReply => transcript.LinesSentBeforeReply;

    /// <summary>Where a client departed from the script: a different line than expected, or a hang-up where a line was expected.</summary>
    public IReadOnlyList<string> Failures => transcript.Failures;

    /// <summary>
    /// Waits until every connection accepted so far has ended: the script ran out and the client
    /// hung up, or the client hung up early. Call it before asserting on <see cref="ReceivedLines"/>:
    /// the server records on a background task, so a line the client just sent may not be in yet.
    /// </summary>
    /// <returns>False if a session was still open after <paramref name="timeout"/> (the client did not hang up).</returns>
    public bool WaitForSessionsToEnd(TimeSpan timeout)
    {
        Task[] running;
        lock (sessions)
            running = sessions.ToArray();
        return Task.WaitAll(running, timeout);
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        stopping.Cancel();
        listener.Stop();
        Task[] all;
        lock (sessions)
            all = sessions.Append(accepting).ToArray();
        Task.WaitAll(all, StopWait);
        stopping.Dispose();
    }

    async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return; // Disposed: depending on timing, the listener reports it as cancelled, closed or not started.
            }
            catch (Exception ex)
            {
                transcript.Failed($"The server stopped accepting connections: {ex.Message}");
                return;
            }

            int number = Interlocked.Increment(ref connections);
            var scenario = repeat ? scenarios[0] : number <= scenarios.Count ? scenarios[number - 1] : null;
            if (scenario == null)
            {
                transcript.Failed($"Connection {number}: the server was given {scenarios.Count} scenario(s), one per connection, and this connection has none.");
                socket.Dispose();
                continue;
            }
            lock (sessions)
                sessions.Add(ScenarioSession.RunAsync(socket, scenario, number, transcript, stopping.Token));
        }
    }
}
