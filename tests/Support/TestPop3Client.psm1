<#
    A minimal raw POP3 client over a plain TCP connection: the tests' second, independent view of
    what a server holds and sends (Get-TestServerListing, Invoke-TestPop3Command), so PopShell is
    never checked with itself or with MailKit. Every read is bounded by a timeout, and lines are
    kept as bytes, so message data comes back exactly as the server sent it.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')

$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

# The client itself is C# (RawPop3/RawPop3Connection.cs), shared with the benchmark's reference
# client; these functions are its PowerShell face. Invoke-PesterSuite.ps1 builds it before each run.
$script:RawPop3Dll = Join-Path $PSScriptRoot 'RawPop3/bin/Release/net10.0/RawPop3.dll'
if (-not ('PopShell.RawPop3.RawPop3Connection' -as [type])) {
    if (-not [System.IO.File]::Exists($script:RawPop3Dll)) {
        # First use on this checkout (the demo, say): build it once, a few seconds.
        $null = Invoke-CheckedCommand -FilePath 'dotnet' -ArgumentList 'build', (Join-Path $PSScriptRoot 'RawPop3/RawPop3.csproj'), '-c', 'Release', '--nologo', '-v', 'quiet' -TimeoutSeconds 300
    }
    Add-Type -Path $script:RawPop3Dll
}

function Open-Pop3Session {
    <#
    .SYNOPSIS
        Connects to a POP3 port without TLS and reads the greeting; returns the connection.
    .DESCRIPTION
        Every socket read is bounded by the timeout. Lines are kept as bytes so that message
        data comes back exactly as the server sent it.
    #>
    param(
        [Parameter(Mandatory)] [string] $HostName,
        [Parameter(Mandatory)] [int] $Port,
        [int] $TimeoutSeconds = 30
    )
    [PopShell.RawPop3.RawPop3Connection]::Open($HostName, $Port, $TimeoutSeconds, $null)
}

function Close-Pop3Session {
    param([Parameter(Mandatory)] $Session)
    $Session.Dispose()
}

function Read-Pop3StatusLine {
    param([Parameter(Mandatory)] $Session)
    $Session.ReadStatusLine()
}

function Read-Pop3MultiLineData {
    # The body up to the lone '.', dot-unstuffed, CRLF kept, without the terminating line.
    param([Parameter(Mandatory)] $Session)
    , $Session.ReadMultiLine()
}

function Send-Pop3Line {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Line)
    $Session.Send($Line)
}

function Test-Pop3MultiLineCommand {
    <#
    .SYNOPSIS
        Tells whether a successful answer to this command is followed by a multi-line body.
    .DESCRIPTION
        RETR, TOP and CAPA always; LIST and UIDL only without an argument (RFC 1939, RFC 2449).
    #>
    param([Parameter(Mandatory)] [string] $Command)
    $words = @($Command.Trim() -split '\s+')
    switch ($words[0].ToUpperInvariant()) {
        { $_ -in 'RETR', 'TOP', 'CAPA' } { return $true }
        { $_ -in 'LIST', 'UIDL' } { return $words.Count -eq 1 }
        default { return $false }
    }
}

function Invoke-Pop3Login {
    # USER/PASS, the form every POP3 server supports; throws with the server's answer on failure.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $UserName, [Parameter(Mandatory)] [string] $Password)
    Send-Pop3Line -Session $Session -Line "USER $UserName"
    $status = Read-Pop3StatusLine -Session $Session
    if ($status.StartsWith('+OK')) {
        Send-Pop3Line -Session $Session -Line "PASS $Password"
        $status = Read-Pop3StatusLine -Session $Session
    }
    if (-not $status.StartsWith('+OK')) {
        throw "POP3 login as '$UserName' at $($Session.Endpoint) failed: $status"
    }
}

function Invoke-Pop3Command {
    # One command and its whole answer: status line, and the body where one follows.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Command)
    Send-Pop3Line -Session $Session -Line $Command
    $status = Read-Pop3StatusLine -Session $Session
    $data = $null
    if ($status.StartsWith('+OK') -and (Test-Pop3MultiLineCommand -Command $Command)) {
        $data = Read-Pop3MultiLineData -Session $Session
    }
    [pscustomobject]@{
        Command = $Command
        Status  = $status
        Data    = $data
        Text    = if ($null -ne $data) { $script:Utf8NoBom.GetString($data) } else { $null }
    }
}

function Get-TestServerListing {
    <#
    .SYNOPSIS
        Lists what the server holds for a mailbox, straight from POP3 (no MailKit, no PopShell).

    .DESCRIPTION
        Opens a plain TCP connection to the server's POP3 port, logs in with USER/PASS, sends
        UIDL and LIST, then QUIT, and returns one object per message. Every read is bounded by
        -TimeoutSeconds. Logging in moves new mail to cur/ and, for a -LockSession mailbox,
        waits for (and fails against) any other open session.

    .OUTPUTS
        PSCustomObject per message, in message-number order: Number (int), Uid (string), Size (long).

    .EXAMPLE
        (Get-TestServerListing -Mailbox $mailbox).Count | Should -Be 2000
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Mailbox,
        [int] $TimeoutSeconds = 30
    )

    Assert-ObjectHasProperty -InputObject $Mailbox -Name 'UserName', 'Password', 'Server' -What 'Mailbox'
    $session = Open-Pop3Session -HostName $Mailbox.Server.HostName -Port $Mailbox.Server.PlainPort -TimeoutSeconds $TimeoutSeconds
    try {
        Invoke-Pop3Login -Session $session -UserName $Mailbox.UserName -Password $Mailbox.Password
        $uidl = Invoke-Pop3Command -Session $session -Command 'UIDL'
        $list = Invoke-Pop3Command -Session $session -Command 'LIST'
        foreach ($response in $uidl, $list) {
            if (-not $response.Status.StartsWith('+OK')) { throw "$($response.Command) failed: $($response.Status)" }
        }
        $quit = Invoke-Pop3Command -Session $session -Command 'QUIT'
        if (-not $quit.Status.StartsWith('+OK')) { throw "QUIT failed: $($quit.Status)" }
        $session.WaitForHangUp()
    }
    finally {
        Close-Pop3Session -Session $session
    }

    # Both bodies are lines of "<number> <value>".
    $uidByNumber = @{}
    foreach ($line in $uidl.Text.Split("`r`n", [System.StringSplitOptions]::RemoveEmptyEntries)) {
        $number, $uid = $line.Split(' ', 2)
        $uidByNumber[[int]$number] = $uid
    }
    $listLines = @($list.Text.Split("`r`n", [System.StringSplitOptions]::RemoveEmptyEntries))
    if ($listLines.Count -ne $uidByNumber.Count) {
        throw "LIST returned $($listLines.Count) messages but UIDL $($uidByNumber.Count)."
    }
    foreach ($line in $listLines) {
        $number, $size = $line.Split(' ', 2)
        if (-not $uidByNumber.ContainsKey([int]$number)) { throw "LIST has message $number but UIDL does not." }
        [pscustomobject]@{
            Number = [int]$number
            Uid    = [string]$uidByNumber[[int]$number]
            Size   = [long]$size
        }
    }
}

function Invoke-TestPop3Command {
    <#
    .SYNOPSIS
        Runs raw POP3 commands for a mailbox over the plain port, as a second, independent client.

    .DESCRIPTION
        Logs in with USER/PASS (unless -NoLogin), sends each command in turn and reads its whole
        answer, then sends QUIT, which is when the server really deletes messages marked with
        DELE. Throws if the login fails, if the server stops answering, or if QUIT fails (the
        deletions would not have happened). If the server has already closed the connection
        (as Dovecot does after '-ERR [IN-USE]'), no QUIT is sent. A QUIT among the commands
        ends the session there.

        A successful RETR, TOP, CAPA, or LIST/UIDL without argument has a multi-line body; it
        is returned as bytes, dot-unstuffed, CRLF kept, without the final '.' line.

    .PARAMETER Command
        Commands without line ending, e.g. 'STAT', 'TOP 1 0', 'DELE 3', 'RETR 2'.

    .PARAMETER NoLogin
        Do not log in first: the commands start right after the greeting (to test USER/PASS,
        CAPA before login, or '-ERR [IN-USE]' with 'USER x', 'PASS y').

    .OUTPUTS
        PSCustomObject per command: Command, Status (first line of the answer), Data (byte[] of
        the body, or $null), Text (Data decoded as UTF-8, or $null).

    .EXAMPLE
        $top = Invoke-TestPop3Command -Mailbox $mailbox -Command 'TOP 1 0'
        $top.Text | Should -Match '(?m)^Subject: Message 1\r$'
    .EXAMPLE
        Invoke-TestPop3Command -Mailbox $mailbox -Command 'DELE 1', 'DELE 2'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Mailbox,
        [Parameter(Mandatory)] [string[]] $Command,
        [switch] $NoLogin,
        [int] $TimeoutSeconds = 30
    )

    Assert-ObjectHasProperty -InputObject $Mailbox -Name 'UserName', 'Password', 'Server' -What 'Mailbox'
    $session = Open-Pop3Session -HostName $Mailbox.Server.HostName -Port $Mailbox.Server.PlainPort -TimeoutSeconds $TimeoutSeconds
    try {
        if (-not $NoLogin) {
            Invoke-Pop3Login -Session $session -UserName $Mailbox.UserName -Password $Mailbox.Password
        }

        $quitSent = $false
        foreach ($line in $Command) {
            Invoke-Pop3Command -Session $session -Command $line
            if ($line.Trim() -match '^(?i)QUIT$') { $quitSent = $true; break }
        }

        if (-not $quitSent) {
            try {
                $quit = Invoke-Pop3Command -Session $session -Command 'QUIT'
            }
            catch [System.IO.EndOfStreamException] {
                # The server already ended the session; there is nothing left to commit.
                Write-Verbose "No QUIT: $($_.Exception.Message)"
                $quit = $null
            }
            if ($quit -and -not $quit.Status.StartsWith('+OK')) {
                throw "QUIT failed, so deletions in this session did not happen: $($quit.Status)"
            }
            if ($quit) { $session.WaitForHangUp() }
        }
    }
    finally {
        Close-Pop3Session -Session $session
    }
}

Export-ModuleMember -Function @(
    'Get-TestServerListing'
    'Invoke-TestPop3Command'
    'Open-Pop3Session'
    'Close-Pop3Session'
)
