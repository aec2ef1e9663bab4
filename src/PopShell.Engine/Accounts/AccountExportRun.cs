using System;
using System.Collections.Generic;
using System.Threading;

namespace PopShell.Engine.Accounts
{
    /// <summary>
    /// A scheduled export over many accounts in one process: accounts are added as they arrive and
    /// run concurrently, at most <c>throttle</c> at a time, each on a thread and a session of its own,
    /// so a slow or failing account never holds up, stops or changes the others. Every account ends in
    /// exactly one <see cref="IAccountExportObserver.Finished"/>. Destination folders stay locked until
    /// the run is disposed.
    /// </summary>
    public sealed class AccountExportRun : IDisposable
    {
        readonly AccountExportSettings settings;
        readonly int throttle;
        readonly IAccountExportObserver observer;
        readonly CancellationToken cancellationToken;
        readonly HeldDestinations destinations = new HeldDestinations();
        readonly Queue<MailboxAccount> waiting = new Queue<MailboxAccount>();
        readonly List<Thread> threads = new List<Thread>();
        int running;

        /// <summary>Prepares a run; accounts start as they are added.</summary>
        /// <param name="settings">Deletion policy and size limit for every account.</param>
        /// <param name="throttle">Most accounts at work at once (at least 1).</param>
        /// <param name="observer">Hears progress and results, on the accounts' threads.</param>
        /// <param name="cancellationToken">Stops every account: sessions end without QUIT, nothing is deleted.</param>
        public AccountExportRun(AccountExportSettings settings, int throttle, IAccountExportObserver observer, CancellationToken cancellationToken)
        {
            this.settings = settings;
            this.throttle = Math.Max(1, throttle);
            this.observer = observer;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>Starts <paramref name="account"/> now if fewer than the throttle are at work, else when one finishes.</summary>
        public void Add(MailboxAccount account)
        {
            lock (waiting)
            {
                waiting.Enqueue(account);
                if (running >= throttle)
                    return;
                running++;
                // Dedicated threads, not the pool: an account spends its time blocked on the network and
                // the disk, and the pool would add threads for that only slowly.
                var thread = new Thread(Work) { IsBackground = true, Name = "PopShell account export" };
                threads.Add(thread);
                thread.Start();
            }
        }

        // Runs accounts from the queue until it is empty.
        void Work()
        {
            while (true)
            {
                MailboxAccount account;
                lock (waiting)
                {
                    if (waiting.Count == 0)
                    {
                        running--;
                        return;
                    }
                    account = waiting.Dequeue();
                }
                observer.Finished(AccountExport.Run(account, settings, destinations, observer, cancellationToken));
            }
        }

        /// <summary>
        /// Waits for the accounts at work to end (cancel the token first to make that quick), then
        /// releases the destination folders.
        /// </summary>
        public void Dispose()
        {
            Thread[] started;
            lock (waiting)
            {
                waiting.Clear();
                started = threads.ToArray();
            }
            foreach (var thread in started)
                thread.Join();
            destinations.Dispose();
        }
    }
}
