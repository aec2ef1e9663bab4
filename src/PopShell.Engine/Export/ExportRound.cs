using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// One batch of an export, from the moment its messages are retrieved until their files are
    /// written and named. The round's life, in order:
    /// <list type="number">
    /// <item>retrieved: the connection streamed each message into a spool file in the store's folder,
    /// hashing it, and checked its size against LIST (a message whose size did not match, and every one
    /// after it, arrives as an error with its spool removed, and the session is abandoned);</item>
    /// <item>staged (<see cref="Start"/>): writer threads of the round's own, several at a time where the
    /// store allows it, read each message's naming headers from its spool and make it the store's file
    /// (Eml takes the spool itself; Maildir and mbox write their format from it) and sync it, while the
    /// connection retrieves the next batch;</item>
    /// <item>named: once all are written, in message order, so colliding names get the same suffixes on
    /// every run; every spool not taken is removed;</item>
    /// <item>finished (<see cref="Finish"/>): the exporter then makes the names durable, journals the
    /// round, and only then marks its messages for deletion.</item>
    /// </list>
    /// </summary>
    internal sealed class ExportRound
    {
        // Creating and syncing a file waits on the disk far more than it uses the CPU, so several files
        // in flight keep the disk busy and let their syncs share journal commits.
        const int ConcurrentWrites = 8;

        readonly ExportOutcome?[] outcomes;
        readonly Task writing;

        ExportRound(ExportOutcome?[] outcomes, long bytes, Task writing)
        {
            this.outcomes = outcomes;
            Bytes = bytes;
            this.writing = writing;
        }

        /// <summary>The messages' size by LIST, which is about what the round holds in memory.</summary>
        public long Bytes { get; }

        /// <summary>
        /// Starts saving the messages of <paramref name="retrieved"/> that arrived whole: <paramref name="stage"/> writes each one (in the background, several at a time, when
        /// <paramref name="concurrent"/>; otherwise before this returns), then <paramref name="commit"/>
        /// names them, in message order.
        /// </summary>
        public static ExportRound Start(
            IReadOnlyList<RetrievedMessage> retrieved,
            long bytes,
            Func<MessageEntry, Stream, CancellationToken, (ExportOutcome Outcome, StagedMessage? Staged)> stage,
            Func<ExportOutcome, StagedMessage, ExportOutcome> commit,
            bool concurrent,
            CancellationToken cancellationToken)
        {
            var outcomes = new ExportOutcome?[retrieved.Count];
            var staged = new StagedMessage?[retrieved.Count];
            var toSave = new List<int>(retrieved.Count);
            for (int i = 0; i < retrieved.Count; i++)
            {
                var message = retrieved[i];
                if (message.Error != null)
                    outcomes[i] = new ExportOutcome { Entry = message.Entry, Size = message.Received, Error = message.Error };
                else
                    toSave.Add(i);
            }

            void StageAt(int i) => (outcomes[i], staged[i]) = stage(retrieved[i].Entry, retrieved[i].Content!, cancellationToken);
            // Names are given once every message of the round is written, in message order, so colliding
            // names get their suffixes in the same order on every run. What was written is named even
            // when the round was stopped (Ctrl+C): its bytes are on disk already. Every buffer is freed.
            void NameInOrder()
            {
                foreach (int i in toSave)
                {
                    if (staged[i] is { } message)
                    {
                        try { outcomes[i] = commit(outcomes[i]!, message); }
                        finally { message.Dispose(); }
                    }
                    retrieved[i].Content!.Dispose();
                }
            }

            Task writing;
            if (concurrent && toSave.Count > 1)
            {
                writing = WriteOnThreads(toSave, StageAt, NameInOrder, cancellationToken);
            }
            else
            {
                try
                {
                    foreach (int i in toSave)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        StageAt(i);
                    }
                    writing = Task.CompletedTask;
                }
                catch (Exception ex)
                {
                    writing = Task.FromException(ex);
                }
                finally
                {
                    NameInOrder();
                }
            }
            return new ExportRound(outcomes, bytes, writing);
        }

        // Dedicated threads rather than the thread pool: the writers spend their time blocked in fsync,
        // and the pool, sized to the CPUs, would add threads for that only slowly. Syncs that are in
        // flight together share the file system's journal commits, which is where the time goes.
        static Task WriteOnThreads(List<int> work, Action<int> write, Action afterAll, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            int next = -1;
            int running = Math.Min(ConcurrentWrites, work.Count);
            Exception? failure = null;
            for (int t = running; t > 0; t--)
            {
                var thread = new Thread(() =>
                {
                    try
                    {
                        int i;
                        while (Volatile.Read(ref failure) == null && (i = Interlocked.Increment(ref next)) < work.Count)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            write(work[i]);
                        }
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref failure, ex, null);
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref running) == 0)
                        {
                            try { afterAll(); }
                            catch (Exception ex) { Interlocked.CompareExchange(ref failure, ex, null); }
                            if (failure != null)
                                done.SetException(failure);
                            else
                                done.SetResult(true);
                        }
                    }
                })
                { IsBackground = true, Name = "PopShell file writer" };
                thread.Start();
            }
            return done.Task;
        }

        /// <summary>
        /// Waits for the files and returns the outcomes in message order. If writing stopped early
        /// (Ctrl+C), <paramref name="stopped"/> says why and the outcomes cover what was written.
        /// </summary>
        public List<ExportOutcome> Finish(out Exception? stopped)
        {
            stopped = null;
            try
            {
                writing.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                stopped = ex;
            }

            var finished = new List<ExportOutcome>(outcomes.Length);
            foreach (var outcome in outcomes)
            {
                if (outcome != null)
                    finished.Add(outcome);
            }
            return finished;
        }
    }
}
