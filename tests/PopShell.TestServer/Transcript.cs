namespace PopShell.TestServer;

/// <summary>
/// What the clients of one server sent, and where they left the script. Sessions run on
/// background tasks while the test reads, so every access takes the lock and reads get copies.
/// </summary>
internal sealed class Transcript
{
    readonly object gate = new();
    readonly List<string> lines = new();
    readonly List<string> failures = new();
    readonly List<string> beforeReply = new();

    public IReadOnlyList<string> Lines
    {
        get { lock (gate) return lines.ToArray(); }
    }

    public IReadOnlyList<string> Failures
    {
        get { lock (gate) return failures.ToArray(); }
    }

    public IReadOnlyList<string> LinesSentBeforeReply
    {
        get { lock (gate) return beforeReply.ToArray(); }
    }

    /// <summary>Records a client line; <paramref name="beforeReply"/> when it had arrived before the server replied to the line before it.</summary>
    public void Received(string line, bool beforeReply = false)
    {
        lock (gate)
        {
            lines.Add(line);
            if (beforeReply)
                this.beforeReply.Add(line);
        }
    }

    public void Failed(string failure)
    {
        lock (gate) failures.Add(failure);
    }
}
