<#
    TestDovecot: a private, throw-away Dovecot POP3 server for PopShell's end-to-end tests.

    Start-TestDovecot runs Dovecot's master process from a config of its own, with every file it
    uses (config, passwd-file, sockets, pid file, logs, mail) inside one temporary folder, listening
    on 127.0.0.1 only, on ports picked at run time. The machine's own Dovecot service, its /etc
    and /run files are never used, so tests can run beside it and two test servers can run at once.

    Mailboxes are Maildir folders seeded by writing files directly (Add-TestMessage), and the
    ground truth about what the server holds comes from a raw POP3 conversation
    (Get-TestServerListing, Invoke-TestPop3Command), so tests never check PopShell with itself.

    Facts about Dovecot 2.3 that shaped this module (all checked on 2.3.19):
    - Dovecot refuses mail access as root ("Mail access not allowed for root") and the passwd-file
      driver rejects uid 0, so mail is owned by the system user 'mail'; the master runs as root.
    - `dovecot -c <conf>` binds its listening sockets, then forks and exits 0; the forked master
      writes master.pid and only then starts the login processes. So once the command returns,
      the ports accept connections, and a '+OK' greeting proves the pid file is written.
    - The daemonised master keeps the stderr it was started with: its output goes to a file, or a
      pipe would never reach end-of-file.
    - After failed logins Dovecot's auth penalty delays the next ones from the same IP (up to 15 s,
      also for correct passwords); that penalty is switched off here, see New-DovecotConfigText.
    - Even with auth_failure_delay = 0 a failed login is answered after about 0.5 s (the auth
      process flushes failures on a 500 ms timer).
    - A passwd-file is checked for changes at most once a second, so each user gets a file of
      its own, which Dovecot reads at that user's first login (see New-DovecotConfigText).
    - With pop3_lock_session, a second login waits 10 s (fixed in Dovecot) before '-ERR [IN-USE]'.
    - New mail gets its numbers in the order of the time at the start of the Maildir file name.
      LIST sizes count line endings as CRLF: a file with bare LFs is listed larger than it is.
    - Stopping takes 2-3 s: the master waits for its children to end.

    A little over 400 lines: the config text and the start and stop sequences are each one piece,
    read together with the facts above. What it shares with the Courier harness lives in the other
    modules of TestSupport.psd1.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestCertificates.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestMaildir.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestPop3Client.psm1')
Import-Module (Join-Path $PSScriptRoot 'TestPackages.psm1')

$script:DovecotPath = '/usr/sbin/dovecot'
$script:DovecotPop3Path = '/usr/lib/dovecot/pop3'
$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

function Test-DovecotInstalled {
    [System.IO.File]::Exists($script:DovecotPath) -and [System.IO.File]::Exists($script:DovecotPop3Path)
}

function New-DovecotConfigText {
    <#
    .SYNOPSIS
        Returns the text of the private dovecot.conf.
    .DESCRIPTION
        Only settings that differ from Dovecot's defaults or that keep the instance private are
        written; each has a comment saying why.
    #>
    param(
        [Parameter(Mandatory)] [string] $Root,
        [Parameter(Mandatory)] [string] $InstanceName,
        [Parameter(Mandatory)] [int] $PlainPort,
        [Parameter(Mandatory)] [int] $TlsPort,
        [Parameter(Mandatory)] [int] $MailUserId,
        [Parameter(Mandatory)] [int] $MailGroupId
    )

    @"
# Private Dovecot for PopShell's tests, written by TestDovecot.psm1.
# Everything it uses lives under $Root; nothing in /etc, /run or /var is read or written.

protocols = pop3
listen = 127.0.0.1
base_dir = $Root/run
state_dir = $Root/state
instance_name = $InstanceName
log_path = $Root/dovecot.log
# Say why a login failed, in the log that Start-TestDovecot shows on failure.
auth_verbose = yes

ssl = yes
ssl_cert = <$Root/server-cert.pem
ssl_key = <$Root/server-key.pem
ssl_min_protocol = TLSv1.2

# Tests also cover plaintext logins without TLS.
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop
# A wrong password is answered at once instead of after 2 s: failure tests stay fast.
auth_failure_delay = 0

# Mail is owned by the system user 'mail' (Dovecot will not serve mail as root), whose uid is low.
first_valid_uid = $MailUserId
first_valid_gid = $MailGroupId
mail_location = maildir:~/Maildir
# Tests may open many sessions at once from 127.0.0.1; the default limit is 10.
mail_max_userip_connections = 100

# Users and {PLAIN} passwords: one passwd-file per user, named after the user, written by
# New-TestMailbox. Dovecot looks at a passwd-file at most once a second, so a user appended to
# one shared file right after another login would stay unknown for up to a second; a file of
# its own is read at the user's first login. Read by the auth process, running as root (below).
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $Root/passwd/%u
}
userdb {
  driver = passwd-file
  args = username_format=%u $Root/passwd/%u
}

service auth {
  # The passwd-file holds the passwords, so it is readable by root only.
  user = root
}

service anvil {
  # No auth penalty: after failed logins Dovecot would delay every later login from 127.0.0.1,
  # correct ones too, by up to 15 s. Closing this socket is Dovecot's documented way to turn it
  # off; the auth process logs one "net_connect_unix(anvil-auth-penalty) failed" error for it.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}

service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $PlainPort
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $TlsPort
    ssl = yes
  }
}
"@
}

function Install-TestDovecot {
    <#
    .SYNOPSIS
        Makes sure Dovecot's POP3 server is installed, installing it with apt-get on Debian.

    .DESCRIPTION
        Does nothing when /usr/sbin/dovecot and /usr/lib/dovecot/pop3 exist. Otherwise, on Debian
        and as root, installs the package dovecot-pop3d without recommended packages, with no
        service allowed to start (Invoke-AptGet): the tests never want the machine's own Dovecot.
        Anywhere else it throws an error naming the package to install.

    .EXAMPLE
        Install-TestDovecot -Verbose
    #>
    [CmdletBinding()]
    param(
        # Upper bound for each apt-get run.
        [int] $TimeoutSeconds = 900
    )

    if (Test-DovecotInstalled) {
        Write-Verbose "Dovecot is installed ($script:DovecotPath, $script:DovecotPop3Path)."
        return
    }
    Assert-DebianAsRoot -Why ("Dovecot's POP3 server is not installed. Install the package that provides $script:DovecotPath and $script:DovecotPop3Path " +
        "(on Debian or Ubuntu: 'apt-get install --no-install-recommends dovecot-pop3d', as root).")
    Invoke-AptGet -ArgumentList 'install', '-y', '--no-install-recommends', 'dovecot-pop3d' -TimeoutSeconds $TimeoutSeconds
    if (-not (Test-DovecotInstalled)) {
        throw "apt-get installed dovecot-pop3d, but $script:DovecotPath or $script:DovecotPop3Path is still missing."
    }
}

function Start-TestDovecot {
    <#
    .SYNOPSIS
        Starts a private Dovecot POP3 server on 127.0.0.1 and returns how to reach it.

    .DESCRIPTION
        Creates a folder (by default a new 'popshell-dovecot-<random>' under the system temp
        folder) holding the config, a folder for passwd-files, a new self-signed certificate for
        'localhost' and 127.0.0.1, Dovecot's sockets, pid and state files, its log and the mail
        homes. Two free ports are picked at run time: a plain POP3 port that offers STLS and an
        implicit-TLS (POP3S) port. Plaintext logins (USER/PASS, SASL PLAIN and LOGIN) are allowed
        with and without TLS; TLS 1.2 is the minimum.

        Returns once the plain port has answered with a '+OK' greeting. If Dovecot does not
        start, the error includes its output, the end of its log and the config path, and the
        folder is kept for inspection.

        Must run as root. Call Stop-TestDovecot with the returned object when done.

    .PARAMETER Root
        Folder for all of this server's files. Must be absolute, empty or missing, and made of
        plain characters (letters, digits, '/', '.', '_', '-'), because it is written into the
        config unquoted. Keep it short: Dovecot's socket paths must stay under 108 bytes.

    .PARAMETER TimeoutSeconds
        How long to wait for Dovecot to start and to greet.

    .OUTPUTS
        PSCustomObject: Root, HostName ('127.0.0.1'), PlainPort, TlsPort, ConfigPath, LogPath,
        CertificatePath, KeyPath, CertificateThumbprint (SHA-256, uppercase hex),
        CertificateSha1Thumbprint (uppercase hex), PasswdPath (the folder holding one
        passwd-file per user, named after the user), MasterPid, InstanceName,
        MailUserId, MailGroupId. It survives ConvertTo-Json/ConvertFrom-Json: every function here
        accepts the round-tripped copy.

    .EXAMPLE
        $server = Start-TestDovecot
        try { ... } finally { Stop-TestDovecot -Server $server }
    #>
    [CmdletBinding()]
    param(
        [string] $Root,
        [int] $TimeoutSeconds = 30,
        # Which certificate the server presents; all but SelfSigned come from a test CA at CaCertificatePath.
        [ValidateSet('SelfSigned', 'Trusted', 'WrongName', 'Expired')] [string] $CertificateKind = 'SelfSigned'
    )

    if (-not (Test-DovecotInstalled)) {
        throw "Dovecot is not installed ($script:DovecotPath, $script:DovecotPop3Path). Run Install-TestDovecot first."
    }
    if (-not [Environment]::IsPrivilegedProcess) {
        throw 'Start-TestDovecot must run as root: the Dovecot master process starts its login and mail processes under other users.'
    }

    $Root = Resolve-TestServerRoot -Root $Root -Prefix 'popshell-dovecot'

    # Root and home must be passable (not listable) for Dovecot's unprivileged processes.
    $null = [System.IO.Directory]::CreateDirectory($Root)
    Set-UnixPermission -Path $Root -Octal '0711'
    $homeRoot = [System.IO.Directory]::CreateDirectory("$Root/home").FullName
    Set-UnixPermission -Path $homeRoot -Octal '0711'
    $null = [System.IO.Directory]::CreateDirectory("$Root/run")
    $null = [System.IO.Directory]::CreateDirectory("$Root/state")

    $mailUser = Get-MailUserId
    $plainPort, $tlsPort = Get-FreeLoopbackPort -Count 2
    $certificatePath = "$Root/server-cert.pem"
    $keyPath = "$Root/server-key.pem"
    $caPath = if ($CertificateKind -ne 'SelfSigned') { "$Root/test-ca.pem" } else { $null }
    $thumbprints = New-TestCertificateFile -CertificatePath $certificatePath -KeyPath $keyPath -Kind $CertificateKind -CaPath $caPath

    # One passwd-file per user goes in here (see New-DovecotConfigText); passwords: root only.
    $passwdPath = [System.IO.Directory]::CreateDirectory("$Root/passwd").FullName
    Set-UnixPermission -Path $passwdPath -Octal '0700'

    # The instance name shows in 'ps' (dovecot-<name>/pop3-login ...), telling test servers apart.
    $instanceName = [System.IO.Path]::GetFileName($Root)
    $configPath = "$Root/dovecot.conf"
    $configText = New-DovecotConfigText -Root $Root -InstanceName $instanceName -PlainPort $plainPort -TlsPort $tlsPort `
        -MailUserId $mailUser.UserId -MailGroupId $mailUser.GroupId
    [System.IO.File]::WriteAllText($configPath, $configText, $script:Utf8NoBom)

    $server = [pscustomobject]@{
        Root                      = $Root
        HostName                  = '127.0.0.1'
        PlainPort                 = $plainPort
        TlsPort                   = $tlsPort
        ConfigPath                = $configPath
        LogPath                   = "$Root/dovecot.log"
        CertificatePath           = $certificatePath
        KeyPath                   = $keyPath
        CertificateThumbprint     = $thumbprints.Sha256Thumbprint
        CertificateSha1Thumbprint = $thumbprints.Sha1Thumbprint
        CertificateKind           = $CertificateKind
        CaCertificatePath         = $caPath
        PasswdPath                = $passwdPath
        MasterPid                 = $null
        InstanceName              = $instanceName
        MailUserId                = $mailUser.UserId
        MailGroupId               = $mailUser.GroupId
    }

    # dovecot forks a daemon that keeps the stderr it was given, so its output goes to a file
    # (through sh) rather than to a pipe this process would wait on forever.
    $startLogPath = "$Root/dovecot-start.log"
    $start = Invoke-NativeCommand -FilePath '/bin/sh' -TimeoutSeconds $TimeoutSeconds -ArgumentList @(
        '-c', 'exec "$1" -c "$2" </dev/null >"$3" 2>&1', 'sh', $script:DovecotPath, $configPath, $startLogPath)
    if ($start.ExitCode -ne 0) {
        throw ("Dovecot did not start (exit code $($start.ExitCode)). Config: $configPath`n" +
            "Output:`n$(Get-FileTail -Path $startLogPath)`nLog $($server.LogPath):`n$(Get-FileTail -Path $server.LogPath)")
    }

    # The listening sockets were bound before the command returned; the greeting comes from a
    # login process, which the master starts only after writing its pid file.
    try {
        $session = Open-Pop3Session -HostName $server.HostName -Port $plainPort -TimeoutSeconds $TimeoutSeconds
        Close-Pop3Session -Session $session
        $server.MasterPid = [int]([System.IO.File]::ReadAllText("$Root/run/master.pid").Trim())
    }
    catch {
        $reason = $_.Exception.Message
        Stop-TestDovecot -Server $server -KeepFiles
        throw ("Dovecot started but is not serving POP3: $reason`nConfig: $configPath`n" +
            "Log $($server.LogPath):`n$(Get-FileTail -Path $server.LogPath)")
    }

    Write-Verbose "Dovecot (pid $($server.MasterPid)) serves POP3 on 127.0.0.1:$plainPort (STLS) and 127.0.0.1:$tlsPort (TLS), files in $Root."
    $server
}

function Stop-TestDovecot {
    <#
    .SYNOPSIS
        Stops a server started by Start-TestDovecot and deletes its folder.

    .DESCRIPTION
        Asks Dovecot to stop ('dovecot -c <conf> stop'), waits until the master process has
        exited, and kills it and its children if it has not within the timeout. Then deletes the
        server's folder unless -KeepFiles is given.
        Safe to call twice, with $null, and for a server whose start failed half-way.

    .PARAMETER Server
        The object Start-TestDovecot returned (or its JSON round-tripped copy).

    .PARAMETER KeepFiles
        Keep the folder (config, log, mail) for inspection.

    .EXAMPLE
        Stop-TestDovecot -Server $server
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] $Server,
        [switch] $KeepFiles,
        [int] $TimeoutSeconds = 30
    )

    process {
        if ($null -eq $Server) { return }
        Assert-ObjectHasProperty -InputObject $Server -Name 'Root', 'ConfigPath' -What 'Server'

        # The pid is known once the start succeeded; after a half-failed start the pid file
        # may still tell it.
        $masterPid = $null
        if ($Server.PSObject.Properties['MasterPid'] -and $Server.MasterPid) {
            $masterPid = [int]$Server.MasterPid
        }
        elseif ([System.IO.File]::Exists("$($Server.Root)/run/master.pid")) {
            $masterPid = [int]([System.IO.File]::ReadAllText("$($Server.Root)/run/master.pid").Trim())
        }

        # Only a live process that is still a dovecot counts; its pid may have been reused since.
        $master = $null
        if ($masterPid) {
            $master = Get-Process -Id $masterPid -ErrorAction SilentlyContinue
            if ($master -and $master.ProcessName -ne 'dovecot') { $master = $null }
        }

        if ($master) {
            if ([System.IO.File]::Exists($Server.ConfigPath)) {
                $stop = Invoke-NativeCommand -FilePath $script:DovecotPath -ArgumentList '-c', $Server.ConfigPath, 'stop' -TimeoutSeconds $TimeoutSeconds
                Write-Verbose "dovecot stop: exit code $($stop.ExitCode) $($stop.Output)"
            }
            # 'dovecot stop' normally returns after the master is gone; this wait is the guarantee.
            if (-not $master.WaitForExit($TimeoutSeconds * 1000)) {
                Write-Warning "Dovecot (pid $masterPid) did not stop within $TimeoutSeconds s; killing it and its children."
                $master.Kill($true)
                $null = $master.WaitForExit(10000)
            }
            $master.Dispose()
        }

        if (-not $KeepFiles -and [System.IO.Directory]::Exists($Server.Root)) {
            [System.IO.Directory]::Delete($Server.Root, $true)
        }
        Clear-TestMaildirState -Root $Server.Root
    }
}

function New-TestMailbox {
    <#
    .SYNOPSIS
        Creates a user with an empty Maildir on a test server.

    .DESCRIPTION
        Makes <Root>/home/<user>/Maildir/{cur,new,tmp}, owned by the 'mail' user that Dovecot's
        mail processes run as, then writes the user's passwd-file line, with a {PLAIN} password,
        to <PasswdPath>/<user>. Dovecot reads that file at the user's first login, so the user
        can log in at once; no reload is needed.

    .PARAMETER UserName
        Default: the first free name of the form user<N>. Letters, digits, '.', '_', '-', '@' and
        '+' only (it becomes a file name, a folder name and a passwd-file field).

    .PARAMETER Password
        Default: 20 random letters and digits. Any text without ':', CR or LF (the passwd-file's
        separators); non-ASCII characters are stored as UTF-8.

    .PARAMETER LockSession
        Sets pop3_lock_session=yes for this user only: a second concurrent login waits 10 s
        (Dovecot's fixed lock timeout) and then gets '-ERR [IN-USE] Mailbox is locked by another
        POP3 session.'

    .OUTPUTS
        PSCustomObject: UserName, Password, Credential ([pscredential]), Home, MaildirPath,
        LockSession, Server.

    .EXAMPLE
        $mailbox = New-TestMailbox -Server $server
        $locked = New-TestMailbox -Server $server -UserName 'alice' -Password 'p@ss word' -LockSession
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Server,
        [string] $UserName,
        [string] $Password,
        [switch] $LockSession
    )

    Assert-ObjectHasProperty -InputObject $Server -Name 'Root', 'PasswdPath', 'MailUserId', 'MailGroupId' -What 'Server'
    # Each user has a passwd-file named after it; names starting with '.' are files in the making.
    $existingNames = @(
        foreach ($file in [System.IO.Directory]::GetFiles($Server.PasswdPath)) {
            $name = [System.IO.Path]::GetFileName($file)
            if (-not $name.StartsWith('.')) { $name }
        })

    $mailbox = New-TestMailHome -Server $Server -ExistingName $existingNames -UserName $UserName -Password $Password `
        -PasswordSeparator ':' -UserStore "Dovecot's passwd-file"
    $UserName, $Password, $homePath = $mailbox.UserName, $mailbox.Password, $mailbox.Home

    # Fields: user:password:uid:gid:(gecos):home:(shell):extra fields. The home exists before
    # the user does, and the file appears whole (written aside, then renamed), so Dovecot never
    # sees a user without a home or half a line.
    $extraFields = if ($LockSession) { 'userdb_pop3_lock_session=yes' } else { '' }
    $line = "${UserName}:{PLAIN}${Password}:$($Server.MailUserId):$($Server.MailGroupId)::${homePath}::$extraFields`n"
    $passwdFile = "$($Server.PasswdPath)/$UserName"
    $temporaryFile = "$($Server.PasswdPath)/.$UserName.new"
    [System.IO.File]::WriteAllText($temporaryFile, '')
    Set-UnixPermission -Path $temporaryFile -Octal '0600'
    [System.IO.File]::WriteAllText($temporaryFile, $line, $script:Utf8NoBom)
    [System.IO.File]::Move($temporaryFile, $passwdFile)

    $mailbox | Add-Member -NotePropertyName 'LockSession' -NotePropertyValue ([bool]$LockSession) -PassThru
}

Export-ModuleMember -Function @(
    'Install-TestDovecot'
    'Start-TestDovecot'
    'Stop-TestDovecot'
    'New-TestMailbox'
)
