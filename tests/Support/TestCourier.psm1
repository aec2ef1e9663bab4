<#
    A private, throw-away Courier POP3 server (Courier 1.0.16, courier-authlib 0.71) for PopShell's
    end-to-end tests, started and stopped by these scripts like TestDovecot.psm1 does for Dovecot.

    Courier's packages declare 'Conflicts: pop3-server' with Dovecot's, so they are never installed:
    Install-TestCourier fetches the .deb files with 'apt-get download' and unpacks them with
    'dpkg-deb -x' into a cache folder of the project's own; only the three libraries they need
    (libcourier-unicode4, libidn12, libltdl7) are installed with apt.

    Courier reads fixed system paths (compiled in): /etc/courier/authdaemonrc and userdb.dat,
    /run/courier/authdaemon/socket, its auth modules under /usr/lib/courier-authlib. So the server
    runs in a mount namespace of its own ('unshare --mount'), where read-only overlays add the
    unpacked /usr files and two empty mount points (/etc/courier, /run/courier) to the machine's own
    folders, and bind mounts put this server's folders there. The host sees none of it; when the
    server's processes end, the namespace and its mounts are gone.

    Facts about Courier 1.0.16 that shaped this module (all checked on Debian 12):
    - Logins go through authdaemond (courier-authlib) over its socket; the userdb module reads
      userdb.dat (user, uid, home, Maildir) and userdbshadow.dat (the passwords), gdbm files that
      makedatprog builds from text. CRAM-* logins need the HMAC intermediate values that userdbpw
      prints, not the password.
    - After STLS, courierpop3login runs couriertls as the user 'courier', which must exist and must
      be able to read the key: the namespace gets a passwd file with 'courier' as the 'mail' user's
      uid. The machine's users are not changed.
    - Messages are numbered in the order of their Maildir file names. Files must hold LF line ends:
      Courier serves a CRLF file as CR CR LF. LIST counts each LF as two octets.
    - To a client that has not sent UTF8 (RFC 6856, before logging in) Courier serves a generated
      "Cannot display Unicode content" message instead of any message with raw UTF-8 headers.
    - There is no mailbox lock: a second concurrent session of the same user logs in.
    - A failed login is answered after about 5 s.
    - couriertcpd does not daemonise: the process Start-TestCourier starts is the server, and
      authdaemond is its child, so killing that process tree stops everything.
    - It answers QUIT before it has deleted the marked messages' files (Wait-TestCourierIdle).

    A little over 400 lines: unpacking, the namespace start script and the userdb are one piece,
    read together with the facts above; what it shares with the Dovecot harness is in the other
    modules of TestSupport.psd1.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestPackages.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestCertificates.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestMaildir.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestPop3Client.psm1')

# The packages unpacked into the cache, and the libraries they need from the machine.
$script:Packages = 'courier-pop', 'courier-base', 'courier-authlib', 'courier-authlib-userdb'
$script:Libraries = 'libcourier-unicode4', 'libidn12', 'libltdl7'
$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

function Get-DefaultCourierCachePath {
    # Shared by every checkout on the machine: the unpacked packages do not depend on the code.
    $cacheHome = if ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { Join-Path $HOME '.cache' }
    Join-Path $cacheHome 'popshell-test/courier'
}

function Test-CourierUnpacked {
    param([Parameter(Mandatory)] [string] $Path)
    # Written last by Install-TestCourier: its presence means every package was unpacked.
    [System.IO.File]::Exists("$Path/packages.txt")
}

function Get-MissingCourierLibrary {
    foreach ($library in $script:Libraries) {
        $status = Invoke-NativeCommand -FilePath 'dpkg-query' -ArgumentList '-W', '-f=${Status}', $library -TimeoutSeconds 30
        if ($status.Output -notmatch 'install ok installed') { $library }
    }
}

function Install-TestCourier {
    <#
    .SYNOPSIS
        Makes sure Courier's POP3 server is unpacked in the cache and its libraries are installed.

    .DESCRIPTION
        Does nothing when the cache holds the unpacked packages and the libraries are installed.
        Otherwise, on Debian and as root: installs the missing libraries with apt-get, downloads
        courier-pop, courier-base, courier-authlib and courier-authlib-userdb with 'apt-get download'
        and unpacks them with 'dpkg-deb -x' into -Path. Nothing of Courier is installed into the system.

    .PARAMETER Path
        The cache folder. Default: $XDG_CACHE_HOME (or ~/.cache)/popshell-test/courier.

    .OUTPUTS
        The cache folder, to pass to Start-TestCourier -PackagePath.
    #>
    [CmdletBinding()]
    param([string] $Path = (Get-DefaultCourierCachePath))

    $missing = @(Get-MissingCourierLibrary)
    if ($missing.Count -eq 0 -and (Test-CourierUnpacked -Path $Path)) {
        Write-Verbose "Courier is unpacked in $Path and its libraries are installed."
        return $Path
    }
    Assert-DebianAsRoot -Why 'The private Courier server is fetched with apt-get and runs in a mount namespace.'
    # The libraries conflict with nothing and start nothing.
    if ($missing.Count -gt 0) { Invoke-AptGet -ArgumentList (@('install', '-y', '--no-install-recommends') + $missing) }
    if (Test-CourierUnpacked -Path $Path) { return $Path }

    # Unpacked aside and renamed into place, so a half-done install is never taken for a cache.
    $staging = "$Path.$PID"
    if ([System.IO.Directory]::Exists($staging)) { [System.IO.Directory]::Delete($staging, $true) }
    $root = [System.IO.Directory]::CreateDirectory("$staging/root").FullName
    # Downloaded where apt's download user '_apt' can write (not under /root), or apt warns.
    $downloads = [System.IO.Directory]::CreateTempSubdirectory('popshell-courier-deb-').FullName
    try {
        $null = Invoke-CheckedCommand -FilePath 'chown' -ArgumentList '_apt', $downloads -TimeoutSeconds 30
        Invoke-AptGet -WorkingDirectory $downloads -ArgumentList (@('download') + $script:Packages)
        $debs = [System.IO.Directory]::GetFiles($downloads, '*.deb') | Sort-Object
        foreach ($deb in $debs) {
            $null = Invoke-CheckedCommand -FilePath 'dpkg-deb' -ArgumentList '-x', $deb, $root -TimeoutSeconds 60
        }
        [System.IO.File]::WriteAllLines("$staging/packages.txt", [string[]]($debs | ForEach-Object { [System.IO.Path]::GetFileName($_) }))
    }
    finally {
        [System.IO.Directory]::Delete($downloads, $true)
    }

    if ([System.IO.Directory]::Exists($Path)) { [System.IO.Directory]::Delete($Path, $true) }
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($Path))
    [System.IO.Directory]::Move($staging, $Path)
    Write-Verbose "Courier unpacked in $Path ($($debs.Count) packages)."
    $Path
}

function New-CourierStartScript {
    <#
    .SYNOPSIS
        Returns the shell script that runs inside the new mount namespace and becomes the server.
    #>
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $PackagePath, [Parameter(Mandatory)] [int] $Port)

    # Every login mechanism Courier has, with and without TLS (Courier's default offers none without).
    # The other settings are Debian's (/etc/courier/pop3d, pop3d-ssl) where they matter here: STLS
    # with this server's certificate, and the type of the original inside the UTF-8 placeholder.
    $mechanisms = 'PLAIN LOGIN CRAM-MD5 CRAM-SHA1 CRAM-SHA256'
    @"
#!/bin/sh
# Private Courier POP3 server for PopShell's tests, written by TestCourier.psm1.
# Runs as 'unshare --mount --propagation private sh start.sh': the mounts below are seen by this
# process and its children only, and go away with them.
set -e
exec </dev/null >"$Root/courier.log" 2>&1

# Courier's binaries and auth modules where they were built to be, beside the machine's /usr.
mount -t overlay popshell-courier -o "lowerdir=$PackagePath/root/usr:/usr" /usr
# /etc with this server's passwd and group (which know the user 'courier') and an empty /etc/courier,
# then this server's config folder on it; the same for the auth daemon's socket under /run/courier.
mount -t overlay popshell-courier -o "lowerdir=$Root/layer/etc:/etc" /etc
mount --bind "$Root/etc" /etc/courier
mount -t overlay popshell-courier -o "lowerdir=$Root/layer/run:/run" /run
mount --bind "$Root/run" /run/courier

/usr/lib/courier/courier-authlib/authdaemond &
# POP3 logins ask authdaemond: wait for its socket, so that the first greeting means ready.
while [ ! -S /run/courier/authdaemon/socket ]; do
    kill -0 `$! || { echo 'authdaemond exited'; exit 1; }
    sleep 0.05
done

exec env -i PATH=/usr/bin:/bin \
    POP3AUTH="$mechanisms" POP3AUTH_TLS="$mechanisms" \
    POP3_STARTTLS=YES COURIERTLS=/usr/bin/couriertls TLS_CERTFILE="$Root/server.pem" TLS_VERIFYPEER=NONE \
    MIME_UNICODE_MESSAGE_TYPE=message/global \
    /usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=100 -maxperip=100 -nodnslookup -noidentlookup $Port \
    /usr/lib/courier/courier/courierpop3login /usr/lib/courier/courier/courierpop3d Maildir
"@
}

function Wait-CourierGreeting {
    # couriertcpd gives no sign when it listens: try to connect until it greets, it exits, or time is up.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [System.Diagnostics.Process] $Process, [int] $TimeoutSeconds)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        try {
            Close-Pop3Session -Session (Open-Pop3Session -HostName $Server.HostName -Port $Server.PlainPort -TimeoutSeconds 5)
            return
        }
        catch {
            if ($Process.HasExited) { throw "Courier exited with code $($Process.ExitCode)." }
            if ([DateTime]::UtcNow -gt $deadline) { throw "Courier did not greet within $TimeoutSeconds s: $($_.Exception.Message)" }
            # Not a synchronisation by time: the next attempt decides; this only spaces them out.
            Start-Sleep -Milliseconds 50
        }
    }
}

function Start-TestCourier {
    <#
    .SYNOPSIS
        Starts a private Courier POP3 server on 127.0.0.1 and returns how to reach it.

    .DESCRIPTION
        Creates a folder (by default 'popshell-courier-<random>' under the system temp folder)
        holding Courier's config (authdaemonrc, userdb), a new self-signed certificate for
        'localhost' and 127.0.0.1, the auth daemon's socket, the log and the mail homes, and
        starts Courier in a mount namespace of its own on a free port of 127.0.0.1. The port offers
        STLS; USER/PASS and SASL PLAIN, LOGIN, CRAM-MD5, CRAM-SHA1 and CRAM-SHA256 are allowed with
        and without TLS. Returns once the port has answered with a '+OK' greeting.

        Must run as root after Install-TestCourier. Call Stop-TestCourier with the returned object.

    .OUTPUTS
        PSCustomObject: Name ('Courier'), Root, HostName, PlainPort, CertificateThumbprint
        (SHA-256), CertificateSha1Thumbprint, LogPath, UserDbPath, ProcessId, MailUserId,
        MailGroupId. It survives ConvertTo-Json/ConvertFrom-Json.
    #>
    [CmdletBinding()]
    param(
        [string] $PackagePath = (Get-DefaultCourierCachePath),
        [string] $Root,
        [int] $TimeoutSeconds = 30
    )

    if (-not (Test-CourierUnpacked -Path $PackagePath)) {
        throw "Courier is not unpacked in $PackagePath. Run Install-TestCourier first."
    }
    $Root = Resolve-TestServerRoot -Root $Root -Prefix 'popshell-courier'

    $mailUser = (Invoke-CheckedCommand -FilePath 'getent' -ArgumentList 'passwd', 'mail' -TimeoutSeconds 10).Split(':')
    $mailUserId, $mailGroupId = [int]$mailUser[2], [int]$mailUser[3]

    # Courier's mail processes run as 'mail' and must pass through Root to the homes.
    foreach ($folder in '', '/home', '/etc', '/run/authdaemon', '/layer/etc/courier', '/layer/run/courier') {
        $null = [System.IO.Directory]::CreateDirectory("$Root$folder")
    }
    $passable = [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupExecute, OtherExecute'
    foreach ($folder in $Root, "$Root/home") { [System.IO.File]::SetUnixFileMode($folder, $passable) }
    # The userdb holds the passwords; authdaemond reads it as root.
    [System.IO.File]::SetUnixFileMode("$Root/etc", [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')

    # The namespace's passwd and group: the machine's, plus the user 'courier' that runs couriertls.
    $passwd = [System.IO.File]::ReadAllText('/etc/passwd').TrimEnd("`n") + "`ncourier:x:${mailUserId}:${mailGroupId}:Courier (PopShell tests):/nonexistent:/usr/sbin/nologin`n"
    $group = [System.IO.File]::ReadAllText('/etc/group').TrimEnd("`n") + "`ncourier:x:${mailGroupId}:`n"
    [System.IO.File]::WriteAllText("$Root/layer/etc/passwd", $passwd, $script:Utf8NoBom)
    [System.IO.File]::WriteAllText("$Root/layer/etc/group", $group, $script:Utf8NoBom)

    [System.IO.File]::WriteAllText("$Root/etc/authdaemonrc", @"
# Written by TestCourier.psm1. Users and passwords come from userdb.dat and userdbshadow.dat, built by New-TestCourierMailbox.
authmodulelist="authuserdb"
daemons=2
authdaemonvar=/run/courier/authdaemon
# Log why a login failed (without the password), into courier.log.
DEBUG_LOGIN=1
DEFAULTOPTIONS=""

"@, $script:Utf8NoBom)
    foreach ($name in 'userdb', 'userdbshadow') { [System.IO.File]::WriteAllText("$Root/etc/$name.txt", '') }
    Update-CourierUserDb -Root $Root -PackagePath $PackagePath

    # Courier takes key and certificate from one file, read by couriertls as 'courier' (= 'mail').
    $certificate = New-TestCertificateFile -CertificatePath "$Root/server-cert.pem" -KeyPath "$Root/server-key.pem"
    $pem = "$Root/server.pem"
    [System.IO.File]::WriteAllText($pem, '')
    [System.IO.File]::SetUnixFileMode($pem, [System.IO.UnixFileMode]'UserRead, UserWrite')
    [System.IO.File]::WriteAllText($pem, [System.IO.File]::ReadAllText("$Root/server-key.pem") + [System.IO.File]::ReadAllText("$Root/server-cert.pem"))
    $null = Invoke-CheckedCommand -FilePath 'chown' -ArgumentList "${mailUserId}:${mailGroupId}", $pem -TimeoutSeconds 10

    $port = Get-FreeLoopbackPort
    [System.IO.File]::WriteAllText("$Root/start.sh", (New-CourierStartScript -Root $Root -PackagePath $PackagePath -Port $port), $script:Utf8NoBom)

    $server = [pscustomobject]@{
        Name                      = 'Courier'
        Root                      = $Root
        HostName                  = '127.0.0.1'
        PlainPort                 = $port
        CertificateThumbprint     = $certificate.Sha256Thumbprint
        CertificateSha1Thumbprint = $certificate.Sha1Thumbprint
        LogPath                   = "$Root/courier.log"
        UserDbPath                = "$Root/etc"
        PackagePath               = $PackagePath
        ProcessId                 = $null
        MailUserId                = $mailUserId
        MailGroupId               = $mailGroupId
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('unshare')
    foreach ($argument in '--mount', '--propagation', 'private', '/bin/sh', "$Root/start.sh") { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $server.ProcessId = $process.Id
    try {
        Wait-CourierGreeting -Server $server -Process $process -TimeoutSeconds $TimeoutSeconds
    }
    catch {
        $reason = $_.Exception.Message
        Stop-TestCourier -Server $server -KeepFiles
        $log = if ([System.IO.File]::Exists($server.LogPath)) { [System.IO.File]::ReadAllText($server.LogPath) } else { '(no log)' }
        throw "Courier is not serving POP3: $reason`nStart script: $Root/start.sh`nLog $($server.LogPath):`n$log"
    }
    finally {
        $process.Dispose()
    }

    Write-Verbose "Courier (pid $($server.ProcessId)) serves POP3 on 127.0.0.1:$port (STLS), files in $Root."
    $server
}

function Stop-TestCourier {
    <#
    .SYNOPSIS
        Stops a server started by Start-TestCourier (its whole process tree) and deletes its folder.
    .DESCRIPTION
        Safe to call twice and with $null. -KeepFiles keeps the folder (config, log, mail).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] $Server, [switch] $KeepFiles)

    process {
        if ($null -eq $Server) { return }
        $process = if ($Server.ProcessId) { Get-Process -Id $Server.ProcessId -ErrorAction SilentlyContinue }
        # Only a live process that is still this server counts; its pid may have been reused since.
        if ($process -and $process.ProcessName -in 'couriertcpd', 'sh', 'unshare') {
            # Nothing to flush: Courier changes a Maildir by renaming files, which a kill cannot half-do.
            $process.Kill($true)
            $null = $process.WaitForExit(30000)
        }
        if ($process) { $process.Dispose() }
        if (-not $KeepFiles -and [System.IO.Directory]::Exists($Server.Root)) {
            [System.IO.Directory]::Delete($Server.Root, $true)
        }
        Clear-TestMaildirState -Root $Server.Root
    }
}

function Wait-TestCourierIdle {
    <#
    .SYNOPSIS
        Waits until the server has no POP3 session left: each session is a process of its own.
    .DESCRIPTION
        Courier answers QUIT before it has finished deleting the marked messages' files, and has no
        mailbox lock, so a check that logs in right after a client's QUIT can still see the last of
        them. The session's process exits once that work is done: this waits for it (the condition,
        not a fixed time: each session process is waited on until it exits), up to -TimeoutSeconds.
    #>
    param([Parameter(Mandatory)] $Server, [int] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (($sessions = @(Get-CourierSessionProcessId -ParentId $Server.ProcessId)).Count -gt 0) {
        foreach ($id in $sessions) {
            $process = Get-Process -Id $id -ErrorAction SilentlyContinue
            if (-not $process) { continue }
            $left = [int][Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
            try {
                if (-not $process.WaitForExit($left)) { throw "Courier still has a POP3 session $TimeoutSeconds s after the test's last one ended." }
            }
            finally { $process.Dispose() }
        }
    }
}

function Get-CourierSessionProcessId {
    # The session processes (courierpop3login, courierpop3d, couriertls) below couriertcpd, from /proc.
    param([Parameter(Mandatory)] [int] $ParentId)
    foreach ($stat in [System.IO.Directory]::GetDirectories('/proc')) {
        $text = try { [System.IO.File]::ReadAllText("$stat/stat") } catch { continue }
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
        $close = $text.LastIndexOf(')')
        if ($close -lt 0) { continue }
        $name = $text.Substring($text.IndexOf('(') + 1, $close - $text.IndexOf('(') - 1)
        $fields = $text.Substring($close + 2).Split(' ')
        if ([int]$fields[1] -eq $ParentId -and $name -match '^courier(pop3|tls)') { [int]$text.Substring(0, $text.IndexOf(' ')) }
    }
}

function Update-CourierUserDb {
    # Builds the gdbm files authdaemond reads from the text files; each appears whole (makedatprog renames).
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $PackagePath)
    $makedat = "$PackagePath/root/usr/lib/courier/courier-authlib/makedatprog"
    foreach ($name in 'userdb', 'userdbshadow') {
        # makedatprog reads up to a line holding a single '.'.
        [System.IO.File]::WriteAllText("$Root/etc/$name.in", [System.IO.File]::ReadAllText("$Root/etc/$name.txt") + ".`n")
        $null = Invoke-CheckedCommand -FilePath $makedat -ArgumentList "$Root/etc/$name.in", "$Root/etc/$name.tmp", "$Root/etc/$name.dat" -TimeoutSeconds 30
    }
}

function Get-CourierPasswordField {
    # userdbpw prints what userdb stores for a password: a crypt(3) hash, or the HMAC values CRAM-* needs.
    param([Parameter(Mandatory)] [string] $PackagePath, [Parameter(Mandatory)] [string] $Password, [Parameter(Mandatory)] [string] $Kind)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new("$PackagePath/root/usr/sbin/userdbpw")
    $startInfo.ArgumentList.Add("-$Kind")
    $startInfo.Environment['LD_LIBRARY_PATH'] = "$PackagePath/root/usr/lib"
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        # It asks twice, as passwd does.
        $process.StandardInput.Write("$Password`n$Password`n")
        $process.StandardInput.Close()
        $output = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(30000) -or $process.ExitCode -ne 0 -or -not $output.Trim()) {
            throw "userdbpw -$Kind failed: $output"
        }
        $output.Trim()
    }
    finally {
        $process.Dispose()
    }
}

function New-TestCourierMailbox {
    <#
    .SYNOPSIS
        Creates a user with an empty Maildir on a test Courier server.

    .DESCRIPTION
        Makes <Root>/home/<user>/Maildir/{cur,new,tmp} owned by 'mail', adds the user to the userdb
        with its password in every form Courier checks (crypt for USER/PASS, PLAIN and LOGIN; HMAC
        values for CRAM-MD5, CRAM-SHA1 and CRAM-SHA256) and rebuilds the userdb files, which
        authdaemond reads at the next login.

        The mailbox object has the shape New-TestMailbox returns, so Add-TestMessage,
        Get-TestServerListing and Invoke-TestPop3Command take it; its MaildirLineEnding is 'LF', so
        Add-TestMessage stores messages with LF line ends, as Courier needs.

    .OUTPUTS
        PSCustomObject: UserName, Password, Credential, Home, MaildirPath, MaildirLineEnding ('LF'), Server.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Server,
        [string] $UserName,
        [string] $Password
    )

    $userDbText = "$($Server.UserDbPath)/userdb.txt"
    $existingNames = @([System.IO.File]::ReadAllLines($userDbText) | ForEach-Object { $_.Split("`t")[0] })
    $mailbox = New-TestMailHome -Server $Server -ExistingName $existingNames -UserName $UserName -Password $Password `
        -PasswordSeparator '|' -UserStore "Courier's userdb"

    $account = "uid=$($Server.MailUserId)|gid=$($Server.MailGroupId)|home=$($mailbox.Home)|mail=$($mailbox.MaildirPath)"
    $secrets = @(
        'systempw=' + (Get-CourierPasswordField -PackagePath $Server.PackagePath -Password $mailbox.Password -Kind 'md5')
        foreach ($hash in 'md5', 'sha1', 'sha256') {
            "hmac-${hash}pw=" + (Get-CourierPasswordField -PackagePath $Server.PackagePath -Password $mailbox.Password -Kind "hmac-$hash")
        }) -join '|'
    [System.IO.File]::AppendAllText($userDbText, "$($mailbox.UserName)`t$account`n", $script:Utf8NoBom)
    [System.IO.File]::AppendAllText("$($Server.UserDbPath)/userdbshadow.txt", "$($mailbox.UserName)`t$secrets`n", $script:Utf8NoBom)
    Update-CourierUserDb -Root $Server.Root -PackagePath $Server.PackagePath

    $mailbox | Add-Member -NotePropertyName 'MaildirLineEnding' -NotePropertyValue 'LF' -PassThru
}

Export-ModuleMember -Function 'Install-TestCourier', 'Start-TestCourier', 'Stop-TestCourier', 'New-TestCourierMailbox', 'Wait-TestCourierIdle'
