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

    public IReadOnlyList<string> Lines
    {
        get { lock (gate) return lines.ToArray(); }
    }

    public IReadOnlyList<string> Failures
    {
        get { lock (gate) return failures.ToArray(); }
    }

    public void Received(string line)
    {
        lock (gate) lines.Add(line);
    }

    public void Failed(string failure)
    {
        lock (gate) failures.Add(failure);
    }
}
