using System.Collections.Concurrent;
using System.Threading;

namespace PopShell.Internal
{
    /// <summary>
    /// Work that must run on the pipeline thread (Write-*, script blocks), posted from other threads
    /// and run when the cmdlet drains the queue: PowerShell allows writing to the pipeline and
    /// running scripts only on the thread that called the cmdlet.
    /// </summary>
    internal sealed class PipelineThreadQueue
    {
        readonly BlockingCollection<Action> work = new BlockingCollection<Action>();

        /// <summary>Queues <paramref name="action"/>; returns at once. Safe from any thread.</summary>
        public void Post(Action action) => work.Add(action);

        /// <summary>
        /// Asks the pipeline thread to compute a value and waits for it: how a worker thread runs a
        /// script block. Throws what the computation threw, or when <paramref name="cancellationToken"/> is cancelled.
        /// </summary>
        public T Ask<T>(Func<T> compute, CancellationToken cancellationToken)
        {
            var answer = new System.Threading.Tasks.TaskCompletionSource<T>();
            Post(() =>
            {
                try { answer.SetResult(compute()); }
                catch (Exception ex) { answer.SetException(ex); }
            });
            System.Threading.Tasks.Task.WaitAny(new System.Threading.Tasks.Task[] { answer.Task }, cancellationToken);
            return answer.Task.GetAwaiter().GetResult();
        }

        /// <summary>Runs what is queued now, without waiting for more.</summary>
        public void RunPending()
        {
            while (work.TryTake(out var action))
                action();
        }

        /// <summary>Runs queued work, waiting for more, until <paramref name="done"/> says to stop.</summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public void RunUntil(Func<bool> done, CancellationToken cancellationToken)
        {
            RunPending();
            while (!done())
                work.Take(cancellationToken)();
        }
    }
}
