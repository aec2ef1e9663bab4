<#
    The machine side of the test servers: running programs within a deadline, free loopback ports,
    a server's throw-away folder and its permissions, the system user that owns test mail, and the
    checks that an object passed between test files (through JSON) has the expected shape.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

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

function Invoke-CheckedCommand {
    # Runs a program (see Invoke-NativeCommand) and throws with its output when it fails.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 300)
    $result = Invoke-NativeCommand -FilePath $FilePath -ArgumentList $ArgumentList -Environment $Environment -TimeoutSeconds $TimeoutSeconds
    if ($result.ExitCode -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $($result.ExitCode):`n$($result.Output)"
    }
    $result.Output
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

Export-ModuleMember -Function @(
    'Invoke-NativeCommand'
    'Invoke-CheckedCommand'
    'Get-TextTail'
    'Get-FileTail'
    'Set-UnixPermission'
    'Resolve-TestServerRoot'
    'New-TestPassword'
    'Get-MailUserId'
    'Get-FreeLoopbackPort'
    'Assert-ObjectHasProperty'
)
