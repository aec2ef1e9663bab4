<#
    Mailboxes for the test servers, seeded by writing Maildir files directly: a user's home and
    Maildir owned by the system user the server serves mail as (New-TestMailHome, called by each
    server's New-TestMailbox), and messages stored byte for byte, in order (Add-TestMessage).
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')

# Per Maildir folder: the time stamp and counter used for the next message file name.
$script:MaildirNameState = @{}
$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
$script:Latin1 = [System.Text.Encoding]::Latin1

function New-TestMailHome {
    <#
    .SYNOPSIS
        Picks and checks a test user's name and password and makes the user's Maildir on a test server.
    .DESCRIPTION
        The name defaults to the first free 'user<N>' among -ExistingName (the users on disk, so names
        stay unique across module imports), the password to New-TestPassword. Creates
        <Root>/home/<user>/Maildir/{cur,new,tmp} owned by the 'mail' user, which the server's mail
        processes run as: they move messages and write their own index files there.
        Returns the mailbox object's common part: UserName, Password, Credential, Home, MaildirPath, Server.
    #>
    param(
        [Parameter(Mandatory)] $Server,
        [AllowEmptyCollection()] [string[]] $ExistingName = @(),
        [string] $UserName,
        [string] $Password,
        # The character that separates fields in the server's user list, and the list's name for errors.
        [Parameter(Mandatory)] [char] $PasswordSeparator,
        [Parameter(Mandatory)] [string] $UserStore
    )

    if (-not $UserName) {
        $number = $ExistingName.Count + 1
        while ($ExistingName -contains "user$number") { $number++ }
        $UserName = "user$number"
    }
    if ($UserName -notmatch '^[A-Za-z0-9._@+-]+$' -or $UserName.StartsWith('.')) {
        throw "User name '$UserName' may contain only letters, digits, '.', '_', '-', '@', '+' and must not start with '.'."
    }
    if ($ExistingName -contains $UserName) {
        throw "User '$UserName' already exists on the server in $($Server.Root)."
    }
    if (-not $Password) { $Password = New-TestPassword }
    if ($Password.IndexOfAny([char[]]@($PasswordSeparator, "`
", "`
")) -ge 0) {
        throw "Password may not contain '$PasswordSeparator', CR or LF: they separate the fields and lines of $UserStore."
    }

    $homePath = "$($Server.Root)/home/$UserName"
    $maildirPath = "$homePath/Maildir"
    foreach ($folder in 'cur', 'new', 'tmp') {
        $null = [System.IO.Directory]::CreateDirectory("$maildirPath/$folder")
    }
    $owner = "$($Server.MailUserId):$($Server.MailGroupId)"
    $chown = Invoke-NativeCommand -FilePath 'chown' -ArgumentList '-R', $owner, $homePath -TimeoutSeconds 30
    if ($chown.ExitCode -ne 0) {
        throw "chown -R $owner $homePath failed: $($chown.Output)"
    }
    [pscustomobject]@{
        UserName    = $UserName
        Password    = $Password
        Credential  = [pscredential]::new($UserName, (ConvertTo-SecureString -String $Password -AsPlainText -Force))
        Home        = $homePath
        MaildirPath = $maildirPath
        Server      = $Server
    }
}

function Get-NextMaildirFileName {
    <#
    .SYNOPSIS
        Returns the next file name for a message in a Maildir, in the order of the calls.
    .DESCRIPTION
        Dovecot numbers new messages by the time stamp at the start of the file name (numerically),
        so each name gets a time one second later than the one before: <T>.M0P<pid>Q<n>.popshell-test.
        The first call for a folder starts after every name already in it, so the order also
        holds across module imports and processes.
    #>
    param([Parameter(Mandatory)] [string] $MaildirPath)

    $state = $script:MaildirNameState[$MaildirPath]
    if (-not $state) {
        $nextTime = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        foreach ($folder in 'new', 'cur') {
            foreach ($name in [System.IO.Directory]::EnumerateFileSystemEntries("$MaildirPath/$folder")) {
                $leaf = [System.IO.Path]::GetFileName($name)
                if ($leaf -match '^(\d+)\.') { $nextTime = [Math]::Max($nextTime, [long]$Matches[1] + 1) }
            }
        }
        $state = [pscustomobject]@{ NextTime = $nextTime; Count = 0 }
        $script:MaildirNameState[$MaildirPath] = $state
    }

    $name = '{0}.M0P{1}Q{2}.popshell-test' -f $state.NextTime, $PID, $state.Count
    $state.NextTime++
    $state.Count++
    $name
}

function Write-MaildirMessage {
    <#
    .SYNOPSIS
        Stores one message (string or byte[]) in a Maildir's new/ folder; returns the file path.
    .DESCRIPTION
        The file is written in tmp/ and then moved to new/, as the Maildir format requires, so
        Dovecot never reads a half-written message. -LineFeedOnly stores CRLF line ends as LF.
    #>
    param([Parameter(Mandatory)] [string] $MaildirPath, [Parameter(Mandatory)] [AllowEmptyString()] $Message, [switch] $LineFeedOnly)

    if ($Message -is [byte[]]) { $bytes = $Message }
    elseif ($Message -is [string]) { $bytes = $script:Utf8NoBom.GetBytes($Message) }
    elseif ($Message -is [byte]) {
        throw 'Add-TestMessage received a single byte: a byte[] sent down the pipeline is split into bytes. Use -Raw $bytes or ,$bytes | Add-TestMessage.'
    }
    else { throw "Add-TestMessage takes strings or byte arrays, not $($Message.GetType().FullName)." }
    if ($LineFeedOnly) {
        # Latin-1 maps every byte to one character and back, so nothing but CR LF changes.
        $bytes = $script:Latin1.GetBytes($script:Latin1.GetString($bytes).Replace("`r`n", "`n"))
    }

    $name = Get-NextMaildirFileName -MaildirPath $MaildirPath
    $temporaryPath = "$MaildirPath/tmp/$name"
    $finalPath = "$MaildirPath/new/$name"
    [System.IO.File]::WriteAllBytes($temporaryPath, $bytes)
    # Written as root, read by Dovecot as 'mail'.
    [System.IO.File]::SetUnixFileMode($temporaryPath, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
    [System.IO.File]::Move($temporaryPath, $finalPath)
    $finalPath
}

function Add-TestMessage {
    <#
    .SYNOPSIS
        Puts messages into a test mailbox, in order, byte for byte.

    .DESCRIPTION
        Writes each message to the Maildir's tmp/ folder and then moves it into new/, so Dovecot
        never sees a half-written file. A string is stored as UTF-8 without BOM and otherwise
        unchanged (line endings included); a byte array is stored as it is.
        Messages appear in POP3 in the order they were added, across calls.
        Dovecot's LIST size is the file size when lines end in CRLF (a bare LF counts as two).
        A mailbox whose MaildirLineEnding is 'LF' (Courier's, see TestCourier.psm1) gets its
        messages with CRLF line ends stored as LF; the server sends them as CRLF.

    .PARAMETER Mailbox
        The object New-TestMailbox returned.

    .PARAMETER Raw
        One message (string or byte[]), or several (string[], or a list of byte[]). From the
        pipeline, wrap a single byte[] with the comma operator (,$bytes | Add-TestMessage ...),
        or PowerShell sends its bytes one by one.

    .PARAMETER PassThru
        Output the path of each file written to new/. Dovecot moves the file to cur/ (adding
        ':2,' to its name) at the next POP3 session, so the path is only good until then.

    .EXAMPLE
        1..2000 | ForEach-Object { New-TestMessageText -Subject "Message $_" } | Add-TestMessage -Mailbox $mailbox
    .EXAMPLE
        Add-TestMessage -Mailbox $mailbox -Raw ([System.IO.File]::ReadAllBytes('sample.eml'))
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Mailbox,
        [Parameter(Mandatory, ValueFromPipeline)] [AllowEmptyString()] $Raw,
        [switch] $PassThru
    )

    begin {
        Assert-ObjectHasProperty -InputObject $Mailbox -Name 'MaildirPath' -What 'Mailbox'
        $lineFeedOnly = $Mailbox.PSObject.Properties['MaildirLineEnding'] -and $Mailbox.MaildirLineEnding -eq 'LF'
    }

    process {
        # A string or byte[] is one message; any other list is several.
        if ($Raw -is [byte[]] -or $Raw -is [string] -or $Raw -isnot [System.Collections.IEnumerable]) {
            $paths = Write-MaildirMessage -MaildirPath $Mailbox.MaildirPath -Message $Raw -LineFeedOnly:$lineFeedOnly
        }
        else {
            $paths = foreach ($message in $Raw) { Write-MaildirMessage -MaildirPath $Mailbox.MaildirPath -Message $message -LineFeedOnly:$lineFeedOnly }
        }
        if ($PassThru) { $paths }
    }
}

function Clear-TestMaildirState {
    # Forgets the message-name counters of a stopped server's mailboxes (those under -Root).
    param([Parameter(Mandatory)] [string] $Root)
    foreach ($maildir in @($script:MaildirNameState.Keys)) {
        if ($maildir.StartsWith("$Root/")) { $script:MaildirNameState.Remove($maildir) }
    }
}

Export-ModuleMember -Function @(
    'New-TestMailHome'
    'Add-TestMessage'
    'Clear-TestMaildirState'
)
