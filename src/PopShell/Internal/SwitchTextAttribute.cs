namespace PopShell.Internal
{
    /// <summary>
    /// Lets a switch parameter take its value from a CSV column: PowerShell would turn any non-empty
    /// text into true, so "False" would switch -SkipCertificateCheck on. Text is read as true only
    /// when it says so (true, yes, 1, $true); empty text, false, no and 0 are false; anything else is an error.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class SwitchTextAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is not string text)
                return inputData;
            switch (text.Trim().ToLowerInvariant())
            {
                case "true": case "$true": case "yes": case "1":
                    return new SwitchParameter(true);
                case "": case "false": case "$false": case "no": case "0":
                    return new SwitchParameter(false);
                default:
                    throw new ArgumentTransformationMetadataException($"'{text}' is not a yes or no; use True or False.");
            }
        }
    }
}
