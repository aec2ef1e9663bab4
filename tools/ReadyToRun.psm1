<#
    ReadyToRun compilation for the build (the module's engine, MailKit and MimeKit) and for the bench
    (a copy of pwsh as PowerShell's packages ship it), with crossgen2: the compiler the SDK itself
    uses for PublishReadyToRun, restored from NuGet in the version this SDK picks.

    A ReadyToRun image is the same assembly (same IL, same identity) with native code added for one
    runtime major version and one platform. Where either differs, the runtime ignores the native code
    and JIT-compiles the IL as usual, so an image can make a process start faster but cannot make it
    behave differently.
#>

Set-StrictMode -Version 3.0

$PacksProject = Join-Path $PSScriptRoot 'ReadyToRunPacks/ReadyToRunPacks.csproj'

<#
.SYNOPSIS
    Restores crossgen2 and the runtime packs named in tools/ReadyToRunPacks; returns where they are.
.OUTPUTS
    An object with Crossgen2 (the compiler's path), Framework (e.g. 'net10.0') and Platforms (a
    hashtable: runtime identifier -> the reference assemblies of that platform's runtime, as paths
    with wildcards, for crossgen2's -r).
#>
function Restore-ReadyToRunPack {
    [CmdletBinding()]
    param()
    $log = & dotnet restore $PacksProject --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Restoring $PacksProject (crossgen2 and runtime packs) failed:`n$($log -join "`n")" }
    $assets = Get-Content -LiteralPath (Join-Path (Split-Path $PacksProject) 'obj/project.assets.json') -Raw | ConvertFrom-Json
    $packages = $assets.project.restore.packagesPath
    $framework = @($assets.project.frameworks.PSObject.Properties)[0]

    $crossgen = $null
    $platforms = @{}
    foreach ($pack in @($framework.Value.downloadDependencies)) {
        # '[10.0.12, 10.0.12]': the exact version the SDK chose.
        $version = ($pack.version -replace '[\[\]\s]', '' -split ',')[0]
        $folder = Join-Path $packages "$($pack.name.ToLowerInvariant())/$version"
        if ($pack.name -like 'Microsoft.NETCore.App.Crossgen2.*') {
            $crossgen = Join-Path $folder ($IsWindows ? 'tools/crossgen2.exe' : 'tools/crossgen2')
        }
        elseif ($pack.name -match '^Microsoft\.NETCore\.App\.Runtime\.(?<rid>[^.]+)$') {
            $rid = $Matches.rid
            # The framework's IL assemblies, and CoreLib, which runtime packs keep beside the native runtime.
            $platforms[$rid] = @(
                Join-Path $folder "runtimes/$rid/lib/$($framework.Name)/*.dll"
                Join-Path $folder "runtimes/$rid/native/System.Private.CoreLib.dll")
        }
    }
    if (-not $crossgen -or -not (Test-Path -LiteralPath $crossgen)) { throw "The restore of $PacksProject brought no crossgen2." }
    [pscustomobject]@{ Crossgen2 = $crossgen; Framework = $framework.Name; Platforms = $platforms }
}

<#
.SYNOPSIS
    Compiles one assembly into a ReadyToRun image for one platform; throws when crossgen2 fails.
.PARAMETER Reference
    Paths (wildcards allowed) of every assembly the input may reference. Where two have the same
    name, the first one wins, so list the runtime's own before a module's polyfills.
#>
function Invoke-Crossgen2 {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Crossgen2,
        [Parameter(Mandatory)] [string] $InputPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        [Parameter(Mandatory)] [string[]] $Reference,
        # A runtime identifier: linux-x64, win-x64, osx-arm64...
        [Parameter(Mandatory)] [string] $Platform
    )
    $os, $arch = $Platform -split '-', 2
    $os = @{ win = 'windows'; osx = 'osx'; linux = 'linux' }[$os]
    # A response file: PowerShell would expand the wildcards itself (native globbing on Unix), and
    # crossgen2 refuses a reference list that names one assembly twice; expanded by crossgen2, the
    # first of each name wins.
    $rsp = [System.IO.Path]::GetTempFileName()
    try {
        Set-Content -LiteralPath $rsp -Value (@($InputPath, "-o:$OutputPath", "--targetos:$os", "--targetarch:$arch", '-O') +
            @($Reference | ForEach-Object { "-r:$_" }))
        $log = & $Crossgen2 "@$rsp" 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $OutputPath)) {
            throw "crossgen2 could not compile $InputPath for $Platform`:`n$($log -join "`n")"
        }
    }
    finally { Remove-Item -LiteralPath $rsp -ErrorAction Ignore }
}

<#
.SYNOPSIS
    True when the file is a .NET assembly with ReadyToRun code (a managed native header).
#>
function Test-ReadyToRunImage {
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $false }
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $cor = [System.Reflection.PortableExecutable.PEReader]::new($stream).PEHeaders.CorHeader
        $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    catch [System.BadImageFormatException] { $false }
    finally { $stream.Dispose() }
}

<#
.SYNOPSIS
    True when the file is a .NET assembly with IL and no ReadyToRun code: something to compile.
#>
function Test-ILAssembly {
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [string] $Path)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -eq 0 -and $pe.HasMetadata
    }
    catch [System.BadImageFormatException] { $false }
    finally { $stream.Dispose() }
}

Export-ModuleMember -Function Restore-ReadyToRunPack, Invoke-Crossgen2, Test-ReadyToRunImage, Test-ILAssembly
