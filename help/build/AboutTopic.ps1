# Converting about_<Topic>.md into about_<Topic>.help.txt, the plain-text layout of about topics.
# Dot-sourced by help/Build-Help.ps1, after Markdown.ps1.

# About topics are read in an 80-column console; PowerShell's own about files keep under that.
$AboutLineLimit = 79

function Convert-AboutTopic {
    <#
        about_<Topic>.md to the plain-text layout of about topics: TOPIC and the name, '## ' headings
        as capitalised lines, every other line indented four spaces (code fences dropped, so fenced
        or indented code ends up at eight). No rewrapping: the source keeps its lines short, and a
        line that would reach 80 columns stops the build.
    #>
    param([Parameter(Mandatory)] [System.IO.FileInfo] $Path, [Parameter(Mandatory)] [string] $DisplayPath, [Parameter(Mandatory)] [string] $Destination)
    $file = $DisplayPath
    $lines = @(Read-MarkdownLine -Path $Path.FullName)
    if (-not $lines.Count -or $lines[0].Text -ne "# $($Path.BaseName)") { Stop-HelpBuild $file 1 "the first line must be '# $($Path.BaseName)'" }
    Assert-MarkdownFence -File $file -Lines $lines

    $output = [System.Collections.Generic.List[string]]::new()
    $output.Add('TOPIC')
    $output.Add("    $($Path.BaseName)")
    $sawShortDescription = $false
    $inFence = $false
    foreach ($line in $lines | Select-Object -Skip 1) {
        $text = $line.Text
        if ($text.StartsWith('```')) { $inFence = -not $inFence; continue }
        if (-not $inFence -and $text.StartsWith('#')) {
            if ($text -notmatch '^## (?<title>\S.*)$') { Stop-HelpBuild $file $line.Number "about topics use only '## ' headings, not '$text'" }
            $title = $Matches.title.ToUpperInvariant()
            if ($title -eq 'SHORT DESCRIPTION') { $sawShortDescription = $true }
            if ($output[-1] -ne '') { $output.Add('') }
            $output.Add($title)
            continue
        }
        $converted = if ($text -eq '') { '' } elseif ($inFence) { "        $text" } else { '    ' + (ConvertFrom-InlineMarkdown $text) }
        if ($converted.Length -gt $AboutLineLimit) {
            Stop-HelpBuild $file $line.Number "this line is $($converted.Length) characters in the help text; keep it under 80 (75 in the source, 71 in code)"
        }
        # One blank line between paragraphs is enough.
        if ($converted -eq '' -and $output[-1] -eq '') { continue }
        $output.Add($converted)
    }
    # Get-Help takes an about topic's one-line summary from its SHORT DESCRIPTION.
    if (-not $sawShortDescription) { Stop-HelpBuild $file 0 "the '## SHORT DESCRIPTION' section is missing" }
    while ($output[-1] -eq '') { $output.RemoveAt($output.Count - 1) }

    # A byte order mark, so Windows PowerShell 5.1 reads the file as UTF-8 too.
    [System.IO.File]::WriteAllLines($Destination, $output, [System.Text.UTF8Encoding]::new($true))
}

