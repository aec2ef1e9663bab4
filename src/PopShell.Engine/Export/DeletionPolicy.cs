using System;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// An export's deletion policy. Whatever it says, only a message that is durably saved and
    /// journaled is ever deleted, and one saved by an earlier run only after it was retrieved again
    /// and found to hash to what was saved, with the saved copy still there (SPEC invariant 1).
    /// </summary>
    public sealed class DeletionPolicy
    {
        DeletionPolicy(DeletionTime when, TimeSpan age)
        {
            When = when;
            Age = age;
        }

        /// <summary>Keeps everything on the server.</summary>
        public static DeletionPolicy Never() => new DeletionPolicy(DeletionTime.Never, TimeSpan.Zero);

        /// <summary>Deletes each message once it is durably saved.</summary>
        public static DeletionPolicy AfterSave() => new DeletionPolicy(DeletionTime.AfterSave, TimeSpan.Zero);

        /// <summary>Deletes a message <paramref name="days"/> days after it was saved.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative.</exception>
        public static DeletionPolicy DaysAfterSave(int days) => days < 0
            ? throw new ArgumentOutOfRangeException(nameof(days), days, "The number of days cannot be negative.")
            : new DeletionPolicy(DeletionTime.DaysAfterSave, TimeSpan.FromDays(days));

        /// <summary>When messages are deleted.</summary>
        public DeletionTime When { get; }

        /// <summary>For <see cref="DeletionTime.DaysAfterSave"/>, how long after the save.</summary>
        public TimeSpan Age { get; }

        /// <summary>Sets <paramref name="options"/> to carry out this policy for a run that starts at <paramref name="now"/>.</summary>
        public void ApplyTo(ExportOptions options, DateTimeOffset now)
        {
            options.Delete = When == DeletionTime.AfterSave;
            options.DeleteSavedBefore = When == DeletionTime.DaysAfterSave ? now - Age : null;
        }

        /// <summary>Says the policy in words, for verbose output.</summary>
        public override string ToString() => When switch
        {
            DeletionTime.AfterSave => "delete each message once it is saved",
            DeletionTime.DaysAfterSave => $"delete each message {Age.TotalDays:0} day(s) after it was saved",
            _ => "never delete",
        };
    }
}
