namespace PopShell.Internal
{
    /// <summary>
    /// Reads an empty CSV cell as "not given": Import-Csv makes every column a property of every row,
    /// so a row that leaves a setting blank must get the default, not a binding error.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class EmptyCellAttribute : ArgumentTransformationAttribute
    {
        readonly object? replacement;

        /// <param name="replacement">What an empty cell means: the parameter's default (null for text).</param>
        public EmptyCellAttribute(object? replacement = null) => this.replacement = replacement;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && text.Trim().Length == 0 ? replacement : inputData;
        }
    }
}
