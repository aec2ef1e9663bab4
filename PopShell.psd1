@{
    # One root module for both editions: PopShell.dll is a single netstandard2.0 build. On PowerShell 7
    # its module initializer moves the engine, MailKit and MimeKit into a load context of their own
    # (dependencies/PopShell.LoadContext.dll), so no per-edition choice is needed here.
    RootModule           = 'PopShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b7e2f0c-3f0e-4d7e-9a55-2a8f4f3c6d11'
    Author               = 'PopShell contributors'
    CompanyName          = 'PopShell contributors'
    Copyright            = '(c) PopShell contributors. MIT License.'
    Description          = 'POP3 mailbox administration: look into mailboxes, clean them up in bulk, and export mail to disk safely, over TLS by default.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('PopShell.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Pop3'
        'Disconnect-Pop3'
        'Export-Pop3Mailbox'
        'Get-Pop3Mailbox'
        'Get-Pop3Message'
        'Get-Pop3Session'
        'Remove-Pop3Message'
        'Save-Pop3Attachment'
        'Save-Pop3Message'
        'Set-Pop3Session'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('POP3', 'Mail', 'Email', 'MailKit', 'Export', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/popshell/PopShell'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = '0.1.0: connect (TLS by default, pinning, OAuth2), list and filter, byte-exact durable export to eml/mbox/Maildir with incremental runs, safe removal by UID, help and views; on PowerShell 7, MailKit/MimeKit load in a context of their own, beside the versions other modules load.'
        }
    }
}
