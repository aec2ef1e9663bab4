# Dot-sourced by every test file's BeforeAll: loads the module under test and the Dovecot harness,
# and gives each file the shared private server. Each file makes its own mailboxes on it.
Import-Module $env:POPSHELL_MODULE_PATH -Force
Import-Module (Join-Path $PSScriptRoot '../Support/TestSupport.psd1') -Force
$TestServer = $env:POPSHELL_TEST_SERVER | ConvertFrom-Json

function Connect-TestMailbox {
    # Connects to a test mailbox on its server (Dovecot or Courier; a mailbox without one is on Dovecot)
    # over STLS, pinning the test certificate (Connect-Pop3's own defaults otherwise); a failure
    # throws, as a script with -ErrorAction Stop sees it.
    param([Parameter(Mandatory)] $Mailbox, [hashtable] $Extra = @{})
    $server = if ($Mailbox.PSObject.Properties['Server']) { $Mailbox.Server } else { $TestServer }
    Connect-Pop3 $server.HostName -Port $server.PlainPort -Credential $Mailbox.Credential `
        -CertificateThumbprint $server.CertificateThumbprint -ErrorAction Stop @Extra
}

function Get-Sha256Hex([byte[]] $Bytes) {
    [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData($Bytes)).Replace('-', '')
}

function Get-RawMessage {
    # The bytes the server sends for each message (RETR, dot-unstuffed), from an independent raw client.
    param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [int] $Count)
    $replies = Invoke-TestPop3Command -Mailbox $Mailbox -Command (1..$Count | ForEach-Object { "RETR $_" })
    foreach ($reply in $replies) {
        if ($reply.Status -notlike '+OK*') { throw "$($reply.Command) failed: $($reply.Status)" }
        , $reply.Data
    }
}

function ConvertTo-LfBytes([byte[]] $Bytes) {
    # CRLF -> LF, as mbox and Maildir store messages.
    $text = [System.Text.Encoding]::Latin1.GetString($Bytes)
    [System.Text.Encoding]::Latin1.GetBytes($text.Replace("`r`n", "`n"))
}

function Read-MboxrdMessage([string] $Path) {
    # A minimal mboxrd reader: splits at "From " lines after a blank line, un-quotes >From, drops the separator's blank line.
    $text = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($Path))
    $messages = [System.Collections.Generic.List[string]]::new()
    $current = $null
    $lines = $text.Split("`n")
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        $atSeparator = $line.StartsWith('From ') -and ($i -eq 0 -or $lines[$i - 1] -eq '')
        if ($atSeparator) {
            if ($null -ne $current) { $messages.Add($current.Substring(0, $current.Length - 1)) }
            $current = ''
            continue
        }
        if ($i -eq $lines.Count - 1 -and $line -eq '') { break }
        if ($line -match '^>+From ') { $line = $line.Substring(1) }
        $current += $line + "`n"
    }
    if ($null -ne $current) { $messages.Add($current.Substring(0, $current.Length - 1)) }
    foreach ($message in $messages) { , [System.Text.Encoding]::Latin1.GetBytes($message) }
}

function Start-ChildPwsh {
    # Runs a script in a new PowerShell process (the same pwsh as this one), for tests that kill or exit it.
    param([Parameter(Mandatory)] [string] $ScriptPath, [switch] $Wait)
    $executable = [Environment]::ProcessPath
    # Under 'dotnet pwsh' the executable is dotnet, and pwsh.dll comes first.
    [string[]] $prefix = @(if ((Split-Path $executable -Leaf) -like 'dotnet*') { [Environment]::GetCommandLineArgs()[0] })
    $log = "$ScriptPath.log"
    Start-Process -FilePath $executable -ArgumentList ($prefix + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath)) `
        -PassThru -Wait:$Wait -RedirectStandardOutput $log -RedirectStandardError "$log.err"
}

function New-ExportScript {
    # A script that connects to a test mailbox and runs one Save-Pop3Message command line.
    param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [string] $SaveArguments, [string] $After = '')
    @"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('$($Mailbox.UserName)', (ConvertTo-SecureString '$($Mailbox.Password)' -AsPlainText -Force))
`$null = Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred -CertificateThumbprint '$($TestServer.CertificateThumbprint)'
`$null = Save-Pop3Message $SaveArguments
$After
"@
}

function Assert-StoppedAtFirstFile {
    <#
        Runs $Shell's script and stops it (what Ctrl+C does) once its first .eml file appears in
        $Folder: an event, not a sleep. Asserts that the file came and that Stop returned within the
        hang guard (not a timing assertion), leaving the invocation stopped and complete.
    #>
    param([Parameter(Mandatory)] [powershell] $Shell, [Parameter(Mandatory)] [string] $Folder)
    $watcher = [System.IO.FileSystemWatcher]::new($Folder, '*.eml')
    $running = $Shell.BeginInvoke()
    $change = $watcher.WaitForChanged([System.IO.WatcherChangeTypes]::All, 120000)
    $watcher.Dispose()
    $stopping = $Shell.BeginStop($null, $null)
    $stopped = $stopping.AsyncWaitHandle.WaitOne(120000)
    if ($stopped) { $Shell.EndStop($stopping) }
    $change.TimedOut | Should -BeFalse -Because 'the export should have written a file'
    $stopped | Should -BeTrue -Because 'Stop must end an export that is at work'
    $Shell.InvocationStateInfo.State | Should -Be 'Stopped'
    $running.IsCompleted | Should -BeTrue
}
