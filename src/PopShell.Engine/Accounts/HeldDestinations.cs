using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using PopShell.Engine.Export;

namespace PopShell.Engine.Accounts
{
    /// <summary>
    /// The destination folders one run holds: each is locked against other runs the first time an
    /// account of this run needs it, and stays locked until the run ends. Accounts of this run that
    /// share a folder take turns in it, so their files are never named at the same moment.
    /// </summary>
    internal sealed class HeldDestinations : IDisposable
    {
        readonly Dictionary<string, Held> held = new Dictionary<string, Held>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Locks <paramref name="folder"/> for this run (if not yet) and waits for this run's turn in it.
        /// Dispose the result to end the turn; the lock stays until <see cref="Dispose"/>.
        /// </summary>
        /// <exception cref="Errors.PopShellException">Another run holds the folder, or it cannot be used.</exception>
        public IDisposable Enter(string folder, CancellationToken cancellationToken)
        {
            string key = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            Held entry;
            lock (held)
            {
                if (!held.TryGetValue(key, out entry!))
                {
                    entry = new Held(DestinationLock.Acquire(folder));
                    held.Add(key, entry);
                }
            }
            entry.Turn.Wait(cancellationToken);
            return new Turn(entry.Turn);
        }

        /// <summary>Releases every folder.</summary>
        public void Dispose()
        {
            lock (held)
            {
                foreach (var entry in held.Values)
                    entry.Lock.Dispose();
                held.Clear();
            }
        }

        sealed class Held
        {
            public Held(DestinationLock destinationLock) => Lock = destinationLock;
            public DestinationLock Lock { get; }
            public SemaphoreSlim Turn { get; } = new SemaphoreSlim(1, 1);
        }

        sealed class Turn : IDisposable
        {
            SemaphoreSlim? turn;
            public Turn(SemaphoreSlim turn) => this.turn = turn;
            public void Dispose() => Interlocked.Exchange(ref turn, null)?.Release();
        }
    }
}
