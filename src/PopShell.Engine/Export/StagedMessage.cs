using System;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// A message whose bytes are on disk but which may not have its final name yet. Writing happens on
    /// several threads at once; naming happens afterwards, one message at a time in message order, so
    /// names that collide are suffixed in the order of the messages, run after run.
    /// </summary>
    internal sealed class StagedMessage : IDisposable
    {
        readonly Func<string> commit;
        readonly IDisposable? temporary;
        string? path;

        StagedMessage(Func<string> commit, IDisposable? temporary)
        {
            this.commit = commit;
            this.temporary = temporary;
        }

        /// <summary>Already complete under <paramref name="path"/> (a store without a naming step).</summary>
        public static StagedMessage Complete(string path) => new StagedMessage(() => path, null);

        /// <summary>Written and synced under a temporary name; <paramref name="commit"/> gives it its name.</summary>
        public static StagedMessage Pending(DurableFile file, Func<DurableFile, string> commit) =>
            new StagedMessage(() => commit(file), file);

        /// <summary>Gives the message its final name and returns it (once; later calls return the same path).</summary>
        public string Commit() => path ??= commit();

        /// <summary>Removes the temporary file unless the message was committed.</summary>
        public void Dispose() => temporary?.Dispose();
    }
}
