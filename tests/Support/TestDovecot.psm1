<#
    PopShell.TestServer: a private, throw-away Dovecot POP3 server for PopShell's end-to-end tests.

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
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

$script:DovecotPath = '/usr/sbin/dovecot'
$script:DovecotPop3Path = '/usr/lib/dovecot/pop3'
$script:PolicyRcPath = '/usr/sbin/policy-rc.d'

# apt-get update is slow and needed once per machine state, not once per call.
$script:AptListsUpdated = $false

# Per Maildir folder: the time stamp and counter used for the next message file name.
$script:MaildirNameState = @{}

$script:Latin1 = [System.Text.Encoding]::Latin1
$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

#region Private helpers: processes, files, ports, certificate, config

function Invoke-NativeCommand {
    <#
    .SYNOPSIS
        Runs a program to completion within a deadline and returns its exit code and output.
    .DESCRIPTION
        Used instead of the call operator so that the wait is bounded and so that extra
        environment variables apply to the child only. Do not use it for a program that leaves a
        daemon holding its stdout/stderr (such as dovecot itself): the output would never end.
    #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 60
    )

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $startInfo.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $startInfo.Environment[$name] = [string]$Environment[$name] }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true

    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        # Nothing is ever typed into these programs; an open stdin could make one wait for it.
        $process.StandardInput.Close()
        # Read both streams at once: a child blocked on a full stderr pipe would never exit.
        $stdoutTask = $process.StandardOutput.ReadToEndAsync()
        $stderrTask = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "'$FilePath $($ArgumentList -join ' ')' did not finish within $TimeoutSeconds s and was killed."
        }
        # The exit came first; the pipes reach end-of-file right after.
        $null = [System.Threading.Tasks.Task]::WaitAll(@($stdoutTask, $stderrTask), 10000)
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = ($stdoutTask.Result + $stderrTask.Result).TrimEnd()
        }
    }
    finally {
        $process.Dispose()
    }
}

function Get-TextTail {
    # The end of a log or command output is where the reason for a failure is.
    param([AllowEmptyString()] [AllowNull()] [string] $Text, [int] $LineCount = 30)
    if ([string]::IsNullOrEmpty($Text)) { return '(empty)' }
    $lines = $Text -split "`r?`n"
    ($lines | Select-Object -Last $LineCount) -join [Environment]::NewLine
}

function Get-FileTail {
    param([Parameter(Mandatory)] [string] $Path, [int] $LineCount = 30)
    if (-not [System.IO.File]::Exists($Path)) { return "(no file $Path)" }
    Get-TextTail -Text ([System.IO.File]::ReadAllText($Path)) -LineCount $LineCount
}

function Set-UnixPermission {
    # Permissions are set explicitly because the umask of the calling shell is unknown and
    # Dovecot's unprivileged processes must be able to reach (but not list) the test folders.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Octal)
    [System.IO.File]::SetUnixFileMode($Path, [System.IO.UnixFileMode][Convert]::ToInt32($Octal, 8))
}

function Resolve-TestServerRoot {
    <#
    .SYNOPSIS
        Returns the full path of a test server's folder: -Root, or a new '<Prefix>-<random>' under the temp folder.
    .DESCRIPTION
        The path is written unquoted into config files and scripts, so it must be plain; and the
        server's stop function deletes the whole folder, so it must be empty or missing.
    #>
    param([string] $Root, [Parameter(Mandatory)] [string] $Prefix)
    if (-not $Root) {
        $suffix = [System.Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(5)).ToLowerInvariant()
        $Root = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "$Prefix-$suffix")
    }
    $Root = [System.IO.Path]::GetFullPath($Root).TrimEnd('/')
    if ($Root -notmatch '^/[A-Za-z0-9/._-]+$') {
        throw "Root '$Root' must be an absolute path of letters, digits, '/', '.', '_' and '-' only: it is written into the server's config unquoted."
    }
    if ([System.IO.Directory]::Exists($Root) -and [System.IO.Directory]::GetFileSystemEntries($Root).Count -gt 0) {
        throw "Root '$Root' is not empty. Stopping the server deletes the whole folder, so it must be one made for this server."
    }
    $Root
}

function New-TestPassword {
    # 20 random letters and digits, without the ones that look alike.
    $alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
    -join (1..20 | ForEach-Object { $alphabet[[System.Security.Cryptography.RandomNumberGenerator]::GetInt32($alphabet.Length)] })
}

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

function Test-DovecotInstalled {
    [System.IO.File]::Exists($script:DovecotPath) -and [System.IO.File]::Exists($script:DovecotPop3Path)
}

function Get-MailUserId {
    <#
    .SYNOPSIS
        Returns the uid and gid of the system user 'mail', which owns the test Maildirs.
    .DESCRIPTION
        Dovecot will not serve mail as root, so the mail processes need an ordinary user; 'mail'
        exists on every Debian system and is meant for exactly this.
    #>
    $result = Invoke-NativeCommand -FilePath 'getent' -ArgumentList 'passwd', 'mail' -TimeoutSeconds 10
    if ($result.ExitCode -ne 0) {
        throw "The system user 'mail' does not exist; Dovecot needs an ordinary user to own the test mailboxes."
    }
    $fields = $result.Output.Split(':')
    [pscustomobject]@{ UserId = [int]$fields[2]; GroupId = [int]$fields[3] }
}

function Get-FreeLoopbackPort {
    <#
    .SYNOPSIS
        Returns distinct TCP ports that were free on 127.0.0.1 a moment ago.
    .DESCRIPTION
        The kernel picks a free port for a listener bound to port 0. All listeners stay open until
        every port is read, so the ports differ from each other.
    #>
    param([int] $Count = 1)
    $listeners = foreach ($i in 1..$Count) {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $listener
    }
    try {
        foreach ($listener in $listeners) { $listener.LocalEndpoint.Port }
    }
    finally {
        foreach ($listener in $listeners) { $listener.Stop() }
    }
}

function New-TestCertificateAuthority {
    <#
    .SYNOPSIS
        Makes a throw-away CA (with its private key, in memory) and writes its certificate as PEM to -Path.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
        'CN=PopShell Test CA', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
        [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $request.CertificateExtensions.Add(
        [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new(
            [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'KeyCertSign, CrlSign', $true))
    $ca = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-100), [DateTimeOffset]::UtcNow.AddDays(100))
    [System.IO.File]::WriteAllText($Path, $ca.ExportCertificatePem() + "`n", $script:Utf8NoBom)
    $ca
}

function New-TestCertificateFile {
    <#
    .SYNOPSIS
        Writes a new self-signed server certificate and its key as PEM files, returns thumbprints.
    .DESCRIPTION
        Made at run time so no key is ever committed. CN and SAN name both 'localhost' and
        127.0.0.1 so a client may connect by either. Valid from yesterday so clock skew between
        this process and Dovecot cannot make it "not yet valid".
    #>
    param(
        [Parameter(Mandatory)] [string] $CertificatePath,
        [Parameter(Mandatory)] [string] $KeyPath,
        # SelfSigned: its own issuer. Trusted: signed by a test CA written to -CaPath (trusted by whoever
        # points SSL_CERT_FILE at it). WrongName: CA-signed for 'wrong.example'. Expired: CA-signed, expired.
        [ValidateSet('SelfSigned', 'Trusted', 'WrongName', 'Expired')] [string] $Kind = 'SelfSigned',
        [string] $CaPath
    )

    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $certificate = $null
    $ca = $null
    $hostName = if ($Kind -eq 'WrongName') { 'wrong.example' } else { 'localhost' }
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            "CN=$hostName", $rsa,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)

        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName($hostName)
        if ($Kind -ne 'WrongName') { $names.AddIpAddress([System.Net.IPAddress]::Loopback) }
        $request.CertificateExtensions.Add($names.Build())
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($false, $false, 0, $true))
        $keyUsage = [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'DigitalSignature, KeyEncipherment'
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new($keyUsage, $true))
        $serverAuth = [System.Security.Cryptography.OidCollection]::new()
        $null = $serverAuth.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1', 'Server Authentication'))
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($serverAuth, $false))

        $notBefore = if ($Kind -eq 'Expired') { [DateTimeOffset]::UtcNow.AddDays(-60) } else { [DateTimeOffset]::UtcNow.AddDays(-1) }
        if ($Kind -eq 'SelfSigned') {
            $certificate = $request.CreateSelfSigned($notBefore, $notBefore.AddDays(30))
        }
        else {
            $ca = New-TestCertificateAuthority -Path $CaPath
            $serial = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(8)
            $certificate = $request.Create($ca, [DateTimeOffset]::UtcNow.AddDays(-90), $notBefore.AddDays(30), $serial)
        }

        [System.IO.File]::WriteAllText($CertificatePath, $certificate.ExportCertificatePem() + "`n", $script:Utf8NoBom)
        # Create the key file empty and private before the key goes in.
        [System.IO.File]::WriteAllText($KeyPath, '')
        Set-UnixPermission -Path $KeyPath -Octal '0600'
        [System.IO.File]::WriteAllText($KeyPath, $rsa.ExportPkcs8PrivateKeyPem() + "`n", $script:Utf8NoBom)

        [pscustomobject]@{
            Sha256Thumbprint = $certificate.GetCertHashString([System.Security.Cryptography.HashAlgorithmName]::SHA256).ToUpperInvariant()
            Sha1Thumbprint   = $certificate.Thumbprint.ToUpperInvariant()
        }
    }
    finally {
        if ($ca) { $ca.Dispose() }
        if ($certificate) { $certificate.Dispose() }
        $rsa.Dispose()
    }
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

#endregion

#region Private helpers: a minimal raw POP3 client

function Open-Pop3Session {
    <#
    .SYNOPSIS
        Connects to a POP3 port without TLS and reads the greeting; returns a session object.
    .DESCRIPTION
        Every socket read is bounded by the timeout. Lines are kept as bytes so that message
        data comes back exactly as the server sent it.
    #>
    param(
        [Parameter(Mandatory)] [string] $HostName,
        [Parameter(Mandatory)] [int] $Port,
        [int] $TimeoutSeconds = 30
    )

    $client = [System.Net.Sockets.TcpClient]::new([System.Net.Sockets.AddressFamily]::InterNetwork)
    try {
        $connect = $client.ConnectAsync($HostName, $Port)
        if (-not $connect.Wait($TimeoutSeconds * 1000)) {
            throw "no connection within $TimeoutSeconds s"
        }
        $stream = $client.GetStream()
        $stream.ReadTimeout = $TimeoutSeconds * 1000
        $stream.WriteTimeout = $TimeoutSeconds * 1000
        $session = [pscustomobject]@{
            Endpoint = "${HostName}:$Port"
            Client   = $client
            Stream   = $stream
            Buffer   = [byte[]]::new(65536)
            Start    = 0   # first unread byte in Buffer
            End      = 0   # one past the last received byte in Buffer
        }
        $greeting = Read-Pop3StatusLine -Session $session
        if (-not $greeting.StartsWith('+OK')) {
            throw "unexpected greeting '$greeting'"
        }
        $session
    }
    catch {
        $client.Dispose()
        throw "POP3 connection to ${HostName}:$Port failed: $($_.Exception.GetBaseException().Message)"
    }
}

function Close-Pop3Session {
    param([Parameter(Mandatory)] $Session)
    $Session.Client.Dispose()
}

function Read-Pop3LineBytes {
    <#
    .SYNOPSIS
        Returns the next line from the server as bytes, line ending included.
    .DESCRIPTION
        Searches the receive buffer for LF with Array.IndexOf (fast even for large messages)
        and reads more from the socket only when no complete line is buffered.
    #>
    param([Parameter(Mandatory)] $Session)

    while ($true) {
        $buffered = $Session.End - $Session.Start
        if ($buffered -gt 0) {
            $lineFeed = [Array]::IndexOf[byte]($Session.Buffer, [byte]10, $Session.Start, $buffered)
            if ($lineFeed -ge 0) {
                $length = $lineFeed - $Session.Start + 1
                $line = [byte[]]::new($length)
                [Array]::Copy($Session.Buffer, $Session.Start, $line, 0, $length)
                $Session.Start = $lineFeed + 1
                return , $line
            }
        }

        # No complete line yet: move the partial line to the front, grow if full, then receive.
        if ($Session.Start -gt 0) {
            [Array]::Copy($Session.Buffer, $Session.Start, $Session.Buffer, 0, $buffered)
            $Session.Start = 0
            $Session.End = $buffered
        }
        if ($Session.End -eq $Session.Buffer.Length) {
            $larger = [byte[]]::new($Session.Buffer.Length * 2)
            [Array]::Copy($Session.Buffer, $larger, $Session.End)
            $Session.Buffer = $larger
        }
        try {
            $received = $Session.Stream.Read($Session.Buffer, $Session.End, $Session.Buffer.Length - $Session.End)
        }
        catch {
            Resolve-Pop3SocketError -ErrorRecord $_ -Session $Session -Action 'Reading from'
        }
        if ($received -eq 0) {
            throw [System.IO.EndOfStreamException]::new("The POP3 server at $($Session.Endpoint) closed the connection.")
        }
        $Session.End += $received
    }
}

function Resolve-Pop3SocketError {
    <#
    .SYNOPSIS
        Rethrows a socket failure: as EndOfStreamException when the server closed or reset the
        connection, otherwise (a timeout, say) as an error that names the server.
    .DESCRIPTION
        The difference matters to Invoke-TestPop3Command: a server that hung up after
        '-ERR [IN-USE]' is expected, a server that stopped answering is a failure.
    #>
    param([Parameter(Mandatory)] $ErrorRecord, [Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Action)
    $baseException = $ErrorRecord.Exception.GetBaseException()
    $closedCodes = 'ConnectionReset', 'ConnectionAborted', 'Shutdown'
    if ($baseException -is [System.Net.Sockets.SocketException] -and [string]$baseException.SocketErrorCode -in $closedCodes) {
        throw [System.IO.EndOfStreamException]::new("The POP3 server at $($Session.Endpoint) closed the connection ($($baseException.SocketErrorCode)).")
    }
    throw "$Action $($Session.Endpoint) failed: $($baseException.Message)"
}

function Read-Pop3StatusLine {
    # Status lines are ASCII; Latin-1 maps any stray byte to one character and never fails.
    param([Parameter(Mandatory)] $Session)
    $script:Latin1.GetString((Read-Pop3LineBytes -Session $Session)).TrimEnd("`r", "`n")
}

function Read-Pop3MultiLineData {
    <#
    .SYNOPSIS
        Reads a multi-line response body up to the lone '.', undoing dot-stuffing (RFC 1939 3).
    .DESCRIPTION
        Returns the body as bytes with its CRLF line endings, without the terminating line.
    #>
    param([Parameter(Mandatory)] $Session)

    $body = [System.IO.MemoryStream]::new()
    while ($true) {
        $line = Read-Pop3LineBytes -Session $Session
        $isTerminator = $line[0] -eq 46 -and (
            ($line.Length -eq 3 -and $line[1] -eq 13 -and $line[2] -eq 10) -or
            ($line.Length -eq 2 -and $line[1] -eq 10))
        if ($isTerminator) { break }
        # A line that starts with '.' was sent with one extra '.' in front.
        $skip = if ($line[0] -eq 46) { 1 } else { 0 }
        $body.Write($line, $skip, $line.Length - $skip)
    }
    , $body.ToArray()
}

function Send-Pop3Line {
    # Commands go out as UTF-8 so that non-ASCII user names and passwords arrive as Dovecot expects.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Line)
    $bytes = $script:Utf8NoBom.GetBytes($Line + "`r`n")
    try {
        $Session.Stream.Write($bytes, 0, $bytes.Length)
    }
    catch {
        Resolve-Pop3SocketError -ErrorRecord $_ -Session $Session -Action 'Writing to'
    }
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

function Assert-ObjectHasProperty {
    # Test files get the server back from JSON, so objects are checked by shape, not by type.
    param([Parameter(Mandatory)] [AllowNull()] $InputObject, [Parameter(Mandatory)] [string[]] $Name, [Parameter(Mandatory)] [string] $What)
    if ($null -eq $InputObject) { throw "$What is null." }
    foreach ($property in $Name) {
        if (-not $InputObject.PSObject.Properties[$property]) {
            throw "$What has no '$property' property; pass the object that $(if ($What -eq 'Server') { 'Start-TestDovecot' } else { 'New-TestMailbox' }) returned."
        }
    }
}

#endregion

#region Public functions

function Install-TestDovecot {
    <#
    .SYNOPSIS
        Makes sure Dovecot's POP3 server is installed, installing it with apt-get on Debian.

    .DESCRIPTION
        Does nothing when /usr/sbin/dovecot and /usr/lib/dovecot/pop3 exist. Otherwise, on Debian
        and as root, runs 'apt-get update' (once per session of this module) and installs the
        package dovecot-pop3d without recommended packages. The package's install scripts would
        start the machine's own Dovecot service; the tests never want that, so while apt-get runs,
        /usr/sbin/policy-rc.d answers 101 ("action forbidden"). A policy-rc.d that already exists
        is left exactly as it is; one created here is removed afterwards.
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

    $howToInstall = "Install the package that provides $script:DovecotPath and $script:DovecotPop3Path " +
        "(on Debian or Ubuntu: 'apt-get install --no-install-recommends dovecot-pop3d', as root)."
    if (-not [System.IO.File]::Exists('/etc/debian_version')) {
        throw "Dovecot's POP3 server is not installed and this is not a Debian system, so it cannot be installed automatically. $howToInstall"
    }
    if (-not [Environment]::IsPrivilegedProcess) {
        throw "Dovecot's POP3 server is not installed and installing it needs root. $howToInstall"
    }

    $createdPolicy = $false
    if (-not [System.IO.File]::Exists($script:PolicyRcPath)) {
        $policy = "#!/bin/sh`n# Written by PopShell.TestServer while it installs Dovecot, and removed afterwards:`n" +
            "# 101 tells the package scripts not to start any service.`nexit 101`n"
        [System.IO.File]::WriteAllText($script:PolicyRcPath, $policy)
        Set-UnixPermission -Path $script:PolicyRcPath -Octal '0755'
        $createdPolicy = $true
    }
    try {
        $environment = @{ DEBIAN_FRONTEND = 'noninteractive' }
        if (-not $script:AptListsUpdated) {
            Write-Verbose 'apt-get update'
            $update = Invoke-NativeCommand -FilePath 'apt-get' -ArgumentList 'update' -Environment $environment -TimeoutSeconds $TimeoutSeconds
            Write-Verbose $update.Output
            if ($update.ExitCode -ne 0) {
                throw "'apt-get update' failed with exit code $($update.ExitCode):`n$(Get-TextTail $update.Output)"
            }
            $script:AptListsUpdated = $true
        }

        Write-Verbose 'apt-get install -y --no-install-recommends dovecot-pop3d'
        $install = Invoke-NativeCommand -FilePath 'apt-get' -ArgumentList 'install', '-y', '--no-install-recommends', 'dovecot-pop3d' `
            -Environment $environment -TimeoutSeconds $TimeoutSeconds
        Write-Verbose $install.Output
        if ($install.ExitCode -ne 0) {
            throw "'apt-get install dovecot-pop3d' failed with exit code $($install.ExitCode):`n$(Get-TextTail $install.Output)"
        }
    }
    finally {
        if ($createdPolicy) { [System.IO.File]::Delete($script:PolicyRcPath) }
    }

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
        # Forget the message-name counters of this server's mailboxes.
        foreach ($maildir in @($script:MaildirNameState.Keys)) {
            if ($maildir.StartsWith("$($Server.Root)/")) { $script:MaildirNameState.Remove($maildir) }
        }
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

function New-TestMessageText {
    <#
    .SYNOPSIS
        Builds a simple RFC 5322 message as a string with CRLF line endings.

    .DESCRIPTION
        Header order: Date, From, To, Cc, Subject, Message-ID, MIME-Version,
        Content-Type (text/plain; charset=utf-8), then -ExtraHeaders as given, a blank line and
        the body. Values are written verbatim: pass RFC 2047 encoded-words yourself where wanted.
        A header whose value is empty is left out (Cc by default). The body's line endings
        become CRLF and it ends with CRLF.

    .PARAMETER Date
        Default: now. Written as 'ddd, dd MMM yyyy HH:mm:ss +hhmm' in the invariant culture.

    .PARAMETER MessageId
        Default: a new unique '<guid@popshell.test>'.

    .PARAMETER ExtraHeaders
        Whole header lines, e.g. 'X-Priority: 1', written after Content-Type.

    .PARAMETER NoDate
        Leave out the Date header.

    .PARAMETER NoSubject
        Leave out the Subject header.

    .EXAMPLE
        New-TestMessageText -Subject '=?utf-8?B?w6TDtsO8?=' -Body "Line 1`nLine 2"
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $From = 'PopShell Sender <sender@popshell.test>',
        [string] $To = 'PopShell Recipient <recipient@popshell.test>',
        [string] $Cc,
        [string] $Subject = 'PopShell test message',
        [DateTimeOffset] $Date = [DateTimeOffset]::Now,
        [string] $MessageId,
        [AllowEmptyString()] [string] $Body = 'This is a PopShell test message.',
        [string[]] $ExtraHeaders = @(),
        [switch] $NoDate,
        [switch] $NoSubject
    )

    if (-not $MessageId) { $MessageId = "<$([guid]::NewGuid().ToString('N'))@popshell.test>" }
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    # RFC 5322 zone is +hhmm: .NET's 'zzz' gives +hh:mm, so the colon goes.
    $dateText = $Date.ToString('ddd, dd MMM yyyy HH:mm:ss ', $invariant) + $Date.ToString('zzz', $invariant).Replace(':', '')

    $headers = [System.Collections.Generic.List[string]]::new()
    if (-not $NoDate) { $headers.Add("Date: $dateText") }
    if ($From) { $headers.Add("From: $From") }
    if ($To) { $headers.Add("To: $To") }
    if ($Cc) { $headers.Add("Cc: $Cc") }
    if (-not $NoSubject) { $headers.Add("Subject: $Subject") }
    $headers.Add("Message-ID: $MessageId")
    $headers.Add('MIME-Version: 1.0')
    $headers.Add('Content-Type: text/plain; charset=utf-8')
    foreach ($header in $ExtraHeaders) { $headers.Add($header) }

    $bodyText = $Body -replace "`r?`n", "`r`n"
    if ($bodyText -and -not $bodyText.EndsWith("`r`n")) { $bodyText += "`r`n" }

    ($headers -join "`r`n") + "`r`n`r`n" + $bodyText
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
        }
    }
    finally {
        Close-Pop3Session -Session $session
    }
}

#endregion

Export-ModuleMember -Function @(
    'Install-TestDovecot'
    'Start-TestDovecot'
    'Stop-TestDovecot'
    'New-TestMailbox'
    'Add-TestMessage'
    'New-TestMessageText'
    'Get-TestServerListing'
    'Invoke-TestPop3Command'
    # For the harnesses of other servers (TestCourier.psm1).
    'Invoke-NativeCommand'
    'Get-FreeLoopbackPort'
    'New-TestCertificateFile'
    'Open-Pop3Session'
    'Close-Pop3Session'
    'Resolve-TestServerRoot'
    'New-TestMailHome'
)
