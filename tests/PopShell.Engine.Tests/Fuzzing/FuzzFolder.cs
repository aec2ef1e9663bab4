namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// Where fuzz cases write: in memory (/dev/shm) where the machine has it, because every saved file
/// is flushed to disk and thousands of cases would otherwise spend their time in fsync.
/// </summary>
internal sealed class FuzzFolder : IDisposable
{
    public FuzzFolder()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(parent, "popshell-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
