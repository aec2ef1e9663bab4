<#
.SYNOPSIS
    Builds PopShell's help from the Markdown in help/<culture>/ into a built module folder.

.DESCRIPTION
    For each culture folder next to this script (help/en-US, ...):
      <Cmdlet>.md        in platyPS's layout become one MAML file per 'external help file'
                         named in their front matter (PopShell.dll-Help.xml), which Get-Help
                         reads for a binary module's cmdlets;
      about_<Topic>.md   becomes about_<Topic>.help.txt, the plain-text layout of about topics.
    Output goes to <OutputDirectory>/<culture>/, next to PopShell.dll.

    platyPS is not used (it is not available where PopShell builds), so this script reads only
    the layout PopShell's own help files use, and stops with the file name and line number at
    anything it does not understand rather than writing help that silently lacks a part.

.PARAMETER OutputDirectory
    The built module folder, e.g. out/PopShell. Created if missing.

.EXAMPLE
    ./help/Build-Help.ps1 -OutputDirectory ./out/PopShell
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$MamlNamespace = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# The sections of a cmdlet's Markdown, in platyPS's order. RELATED LINKS is the only optional one.
$CommandSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

# The keys of a parameter's yaml block; 'Accepted values' is the only optional one.
$ParameterKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value',
'Accept pipeline input', 'Accept wildcard characters'

# PowerShell's name for the only parameter set of a cmdlet that declares none.
$AllParameterSets = '__AllParameterSets'

# About topics are read in an 80-column console; PowerShell's own about files keep under that.
$AboutLineLimit = 79

#region Reading Markdown

function Stop-HelpBuild {
    # Every complaint names the file and line, so a malformed help file is found at once.
    param([Parameter(Mandatory)] [string] $File, [int] $Line, [Parameter(Mandatory)] [string] $Message)
    $where = if ($Line -gt 0) { "${File}:$Line" } else { $File }
    throw "Build-Help: ${where}: $Message"
}

function Read-MarkdownLine {
    # Lines with their numbers, so every later complaint can point at the source line.
    param([Parameter(Mandatory)] [string] $Path)
    $number = 0
    foreach ($text in [System.IO.File]::ReadAllLines($Path)) {
        $number++
        [pscustomobject]@{ Number = $number; Text = $text.TrimEnd() }
    }
}

function Assert-MarkdownFence {
    # An unclosed fence would hide every heading after it; say so, instead of 'section missing'.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [object[]] $Lines)
    $opened = $null
    foreach ($line in $Lines) {
        if ($line.Text.StartsWith('```')) { $opened = if ($opened) { $null } else { $line } }
    }
    if ($opened) { Stop-HelpBuild $File $opened.Number 'this code fence is never closed' }
}

function Split-FrontMatter {
    # platyPS files start with a '---' block of 'key: value' lines; returns the keys and the rest.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [object[]] $Lines)
    $values = @{}
    if ($Lines[0].Text -ne '---') { return @{ Values = $values; Rest = $Lines } }
    for ($i = 1; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i].Text -eq '---') {
            return @{ Values = $values; Rest = @($Lines | Select-Object -Skip ($i + 1)) }
        }
        if ($Lines[$i].Text -notmatch '^(?<key>[^:]+):\s*(?<value>.*)$') {
            Stop-HelpBuild $File $Lines[$i].Number "front matter line is not 'key: value': '$($Lines[$i].Text)'"
        }
        $values[$Matches.key.Trim()] = $Matches.value.Trim()
    }
    Stop-HelpBuild $File $Lines[0].Number "front matter opened with '---' is never closed"
}

function Split-MarkdownHeading {
    <#
        Splits lines at headings of one level ('## ' or '### '), ignoring '#' lines inside code
        fences (a PowerShell comment is not a heading). Returns the text before the first heading
        and one entry per heading with its title, line number and body lines.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines, [Parameter(Mandatory)] [int] $Level)
    $marker = ('#' * $Level) + ' '
    $preamble = [System.Collections.Generic.List[object]]::new()
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line.Text.StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.Text.StartsWith($marker)) {
            $current = [pscustomobject]@{
                Title = $line.Text.Substring($marker.Length).Trim()
                Line  = $line.Number
                Body  = [System.Collections.Generic.List[object]]::new()
            }
            $sections.Add($current)
        }
        elseif ($current) { $current.Body.Add($line) }
        else { $preamble.Add($line) }
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Sections = $sections.ToArray() }
}

function Get-MarkdownBlock {
    <#
        Cuts body lines into blocks: 'Code' (a fenced block, with its language) and 'Text' (lines
        between blank lines). Nothing else exists in PopShell's help, which keeps this small.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $text = [System.Collections.Generic.List[object]]::new()
    $code = $null
    foreach ($line in $Lines) {
        if ($code) {
            if ($line.Text -eq '```') {
                $blocks.Add($code)
                $code = $null
            }
            else { $code.Lines.Add($line) }
            continue
        }
        if ($line.Text.StartsWith('```')) {
            if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }); $text.Clear() }
            $code = [pscustomobject]@{
                Kind     = 'Code'
                Line     = $line.Number
                Language = $line.Text.Substring(3).Trim()
                Lines    = [System.Collections.Generic.List[object]]::new()
            }
            continue
        }
        if ($line.Text.Trim() -eq '') {
            if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }); $text.Clear() }
            continue
        }
        $text.Add($line)
    }
    if ($code) { Stop-HelpBuild $File $code.Line 'code fence is never closed' }
    if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }) }
    $blocks.ToArray()
}

function ConvertFrom-InlineMarkdown {
    # Console help has no fonts or links: `code` and **bold** lose their marks, [text](url) keeps its text.
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $Text = [regex]::Replace($Text, '\[(?<text>[^\]]+)\]\((?<url>[^)]*)\)', '${text}')
    $Text = [regex]::Replace($Text, '\*\*(?<text>[^*]+)\*\*', '${text}')
    [regex]::Replace($Text, '`(?<text>[^`]+)`', '${text}')
}

function ConvertTo-HelpParagraph {
    <#
        The paragraphs of a text section, as plain strings. Lines of one paragraph are joined with
        spaces, because Get-Help wraps paragraphs to the console width itself. A paragraph of '- '
        items becomes one string per item, so each item starts on a line of its own.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines, [string] $What)
    foreach ($block in Get-MarkdownBlock -File $File -Lines $Lines) {
        if ($block.Kind -eq 'Code') {
            Stop-HelpBuild $File $block.Line "$What has a code block; only EXAMPLES and SYNTAX may hold code"
        }
        $item = $null
        $isList = $block.Lines[0].Text.StartsWith('- ')
        foreach ($line in $block.Lines) {
            $text = ConvertFrom-InlineMarkdown $line.Text.Trim()
            if ($isList -and $line.Text.StartsWith('- ')) {
                if ($null -ne $item) { $item }
                $item = $text
            }
            elseif ($null -eq $item) { $item = $text }
            else { $item = "$item $text" }
        }
        $item
    }
}

#endregion

#region Reading one cmdlet's help

function Read-ParameterYaml {
    # One yaml block of a parameter: its type and, for the sets it names, how it binds.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] $Block)
    $values = [ordered]@{}
    foreach ($line in $Block.Lines) {
        if ($line.Text.Trim() -eq '') { continue }
        if ($line.Text -notmatch '^(?<key>[^:]+):\s*(?<value>.*)$' -or $Matches.key -notin $ParameterKeys) {
            Stop-HelpBuild $File $line.Number "-$Name's yaml has a line PopShell's help does not use: '$($line.Text)'"
        }
        $values[$Matches.key] = $Matches.value.Trim()
    }
    foreach ($key in $ParameterKeys | Where-Object { $_ -ne 'Accepted values' }) {
        if (-not $values.Contains($key)) { Stop-HelpBuild $File $Block.Line "-$Name's yaml has no '${key}:' line" }
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Default value') {
        if ($values[$key] -eq '') { Stop-HelpBuild $File $Block.Line "-$Name's yaml has an empty '${key}:'" }
    }
    foreach ($key in 'Required', 'Accept wildcard characters') {
        if ($values[$key] -notin 'True', 'False') { Stop-HelpBuild $File $Block.Line "-$Name's '${key}:' must be True or False, not '$($values[$key])'" }
    }
    if ($values['Position'] -notmatch '^(Named|\d+)$') {
        Stop-HelpBuild $File $Block.Line "-$Name's 'Position:' must be Named or a number, not '$($values['Position'])'"
    }
    if ($values['Accept pipeline input'] -notmatch '^(False|True \((ByValue|ByPropertyName|ByValue, ByPropertyName)\))$') {
        Stop-HelpBuild $File $Block.Line "-$Name's 'Accept pipeline input:' must be False or True (ByValue / ByPropertyName), not '$($values['Accept pipeline input'])'"
    }

    [pscustomobject]@{
        Line           = $Block.Line
        Type           = $values['Type']
        Sets           = @($values['Parameter Sets'] -split ',\s*')
        Aliases        = @($values['Aliases'] -split ',\s*' | Where-Object { $_ })
        AcceptedValues = @(if ($values.Contains('Accepted values')) { $values['Accepted values'] -split ',\s*' | Where-Object { $_ } })
        Required       = $values['Required'] -eq 'True'
        Position       = $values['Position']
        DefaultValue   = $values['Default value']
        PipelineInput  = $values['Accept pipeline input']
        Globbing       = $values['Accept wildcard characters'] -eq 'True'
    }
}

function Read-ParameterHelp {
    # '### -Name' sections: description paragraphs, then one yaml block per group of parameter sets.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    if (@($split.Preamble | Where-Object { $_.Text.Trim() }).Count) {
        Stop-HelpBuild $File $Section.Line 'PARAMETERS has text before its first ### -Name'
    }
    foreach ($entry in $split.Sections) {
        # Get-Help adds the common parameters itself.
        if ($entry.Title -eq 'CommonParameters') { continue }
        if ($entry.Title -notmatch '^-(?<name>[A-Za-z][A-Za-z0-9]*)$') {
            Stop-HelpBuild $File $entry.Line "a parameter heading must be '### -Name', not '### $($entry.Title)'"
        }
        $name = $Matches.name
        $blocks = @(Get-MarkdownBlock -File $File -Lines $entry.Body)
        $yaml = @($blocks | Where-Object { $_.Kind -eq 'Code' })
        if (-not $yaml.Count) { Stop-HelpBuild $File $entry.Line "-$name has no yaml block" }
        if (@($yaml | Where-Object Language -ne 'yaml').Count) { Stop-HelpBuild $File $entry.Line "-$name has a code block that is not yaml" }
        $firstYaml = [array]::IndexOf($blocks, $yaml[0])
        if (@($blocks | Select-Object -Skip $firstYaml | Where-Object Kind -eq 'Text').Count) {
            Stop-HelpBuild $File $entry.Line "-$name has text after its yaml block; the description goes before it"
        }
        $description = @(ConvertTo-HelpParagraph -File $File -Lines ($blocks | Select-Object -First $firstYaml | ForEach-Object Lines) -What "-$name")
        if (-not $description.Count) { Stop-HelpBuild $File $entry.Line "-$name has no description" }
        $bindings = @(foreach ($block in $yaml) { Read-ParameterYaml -File $File -Name $name -Block $block })
        if (@($bindings.Type | Select-Object -Unique).Count -gt 1) { Stop-HelpBuild $File $entry.Line "-$name's yaml blocks disagree on its type" }

        [pscustomobject]@{ Name = $name; Line = $entry.Line; Description = $description; Bindings = $bindings }
    }
}

function Read-SyntaxHelp {
    <#
        The parameter sets, from '### SetName' or '### SetName (Default)' headings, each with the
        syntax line(s) in a code block. A cmdlet with one set has only the code block.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    $entries = if ($split.Sections.Count) {
        if (@($split.Preamble | Where-Object { $_.Text.Trim() }).Count) { Stop-HelpBuild $File $Section.Line 'SYNTAX has text before its first ### set heading' }
        $split.Sections
    }
    else { , [pscustomobject]@{ Title = $AllParameterSets; Line = $Section.Line; Body = $split.Preamble } }

    foreach ($entry in $entries) {
        $code = @(Get-MarkdownBlock -File $File -Lines $entry.Body)
        if ($code.Count -ne 1 -or $code[0].Kind -ne 'Code') { Stop-HelpBuild $File $entry.Line "syntax '$($entry.Title)' must be exactly one code block" }
        $text = ($code[0].Lines.Text -join ' ')
        [pscustomobject]@{
            Name      = $entry.Title -replace '\s*\(Default\)$', ''
            IsDefault = $entry.Title -match '\(Default\)$'
            Line      = $entry.Line
            # The order the syntax line names them in is the order the MAML syntax shows them in.
            Parameters = @([regex]::Matches($text, '(?<=[\[\s])-(?<name>[A-Za-z][A-Za-z0-9]*)') | ForEach-Object { $_.Groups['name'].Value })
        }
    }
}

function Read-ExampleHelp {
    # '### Example N: Title', one code block, then the explanation.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    $number = 0
    foreach ($entry in $split.Sections) {
        $number++
        if ($entry.Title -notmatch "^Example $($number): \S") {
            Stop-HelpBuild $File $entry.Line "example headings must be '### Example $($number): Title', not '### $($entry.Title)'"
        }
        $blocks = @(Get-MarkdownBlock -File $File -Lines $entry.Body)
        if (-not $blocks.Count -or $blocks[0].Kind -ne 'Code' -or $blocks[0].Language -ne 'powershell') {
            Stop-HelpBuild $File $entry.Line "example $number must start with a powershell code block"
        }
        if (@($blocks | Where-Object Kind -eq 'Code').Count -ne 1) { Stop-HelpBuild $File $entry.Line "example $number has more than one code block" }
        $remarks = @(ConvertTo-HelpParagraph -File $File -Lines ($blocks | Select-Object -Skip 1 | ForEach-Object Lines) -What "example $number")
        if (-not $remarks.Count) { Stop-HelpBuild $File $entry.Line "example $number does not say what it does" }
        [pscustomobject]@{
            Title   = $entry.Title
            # Kept verbatim, comments included: a '# not runnable in tests: ...' line is meant for the tests.
            Code    = ($blocks[0].Lines.Text -join "`n")
            Remarks = $remarks
        }
    }
}

function Read-TypeHelp {
    # INPUTS and OUTPUTS: '### TypeName' followed by what it is.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    if (-not $split.Sections.Count) { Stop-HelpBuild $File $Section.Line "$($Section.Title) needs a '### TypeName' heading (or '### None')" }
    foreach ($entry in $split.Sections) {
        [pscustomobject]@{ Name = $entry.Title; Description = @(ConvertTo-HelpParagraph -File $File -Lines $entry.Body -What $entry.Title) }
    }
}

function Read-RelatedLink {
    # '[text](url)' lines; links to sibling .md files are other help topics, with no URI.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    foreach ($line in $Section.Body | Where-Object { $_.Text.Trim() }) {
        if ($line.Text.Trim() -notmatch '^\[(?<text>[^\]]+)\]\((?<url>[^)]*)\)$') {
            Stop-HelpBuild $File $line.Number "RELATED LINKS lines must be '[text](url)', not '$($line.Text)'"
        }
        [pscustomobject]@{ Text = $Matches.text; Uri = if ($Matches.url -match '\.md$') { '' } else { $Matches.url } }
    }
}

function Resolve-ParameterSet {
    <#
        Fills each syntax set with the bindings of its parameters (from the yaml blocks), and checks
        the two views agree: every parameter a syntax line names is documented for that set, and
        every documented parameter appears in the syntax of each set it claims.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [object[]] $Syntax, [Parameter(Mandatory)] [object[]] $Parameters)
    $setNames = @($Syntax.Name)
    foreach ($parameter in $Parameters) {
        foreach ($binding in $parameter.Bindings) {
            foreach ($set in $binding.Sets) {
                if ($set -ne '(All)' -and $set -notin $setNames) {
                    Stop-HelpBuild $File $binding.Line "-$($parameter.Name) names parameter set '$set', which SYNTAX does not have (it has: $($setNames -join ', '))"
                }
            }
        }
    }
    foreach ($set in $Syntax) {
        $members = foreach ($name in $set.Parameters) {
            $parameter = $Parameters | Where-Object Name -eq $name
            if (-not $parameter) { Stop-HelpBuild $File $set.Line "syntax '$($set.Name)' names -$name, which PARAMETERS does not document" }
            $binding = @($parameter.Bindings | Where-Object { $set.Name -in $_.Sets -or '(All)' -in $_.Sets })
            if ($binding.Count -ne 1) {
                Stop-HelpBuild $File $parameter.Line "-$name needs exactly one yaml block for parameter set '$($set.Name)', it has $($binding.Count)"
            }
            [pscustomobject]@{ Parameter = $parameter; Binding = $binding[0] }
        }
        foreach ($parameter in $Parameters) {
            $claims = @($parameter.Bindings | Where-Object { $set.Name -in $_.Sets -or '(All)' -in $_.Sets })
            if ($claims.Count -and $parameter.Name -notin $set.Parameters) {
                Stop-HelpBuild $File $set.Line "-$($parameter.Name) is documented for parameter set '$($set.Name)', but its syntax line does not name it"
            }
        }
        $set | Add-Member -NotePropertyName Members -NotePropertyValue @($members) -PassThru
    }
}

function Read-CommandHelp {
    # One cmdlet's Markdown file, read and checked, as the object the MAML writer needs.
    param([Parameter(Mandatory)] [System.IO.FileInfo] $Path)
    $file = $Path.Name
    $lines = @(Read-MarkdownLine -Path $Path.FullName)
    if (-not $lines.Count) { Stop-HelpBuild $file 0 'the file is empty' }
    Assert-MarkdownFence -File $file -Lines $lines
    $front = Split-FrontMatter -File $file -Lines $lines
    $helpFile = $front.Values['external help file']
    if (-not $helpFile) { Stop-HelpBuild $file 1 "the front matter has no 'external help file:'" }

    $top = Split-MarkdownHeading -Lines $front.Rest -Level 1
    if ($top.Sections.Count -ne 1 -or $top.Sections[0].Title -ne $Path.BaseName) {
        Stop-HelpBuild $file 0 "the file must have one '# $($Path.BaseName)' title"
    }
    $name = $top.Sections[0].Title
    if ($name -notmatch '^(?<verb>[A-Za-z]+)-(?<noun>[A-Za-z0-9]+)$') { Stop-HelpBuild $file $top.Sections[0].Line "'$name' is not a Verb-Noun name" }
    $verb, $noun = $Matches.verb, $Matches.noun

    $sections = @{}
    $expected = 0
    foreach ($section in (Split-MarkdownHeading -Lines $top.Sections[0].Body -Level 2).Sections) {
        $position = [array]::IndexOf($CommandSections, $section.Title)
        if ($position -lt 0) { Stop-HelpBuild $file $section.Line "unknown section '## $($section.Title)' (known: $($CommandSections -join ', '))" }
        if ($position -lt $expected) { Stop-HelpBuild $file $section.Line "'## $($section.Title)' is out of order; the order is $($CommandSections -join ', ')" }
        $expected = $position + 1
        $sections[$section.Title] = $section
    }
    foreach ($title in $CommandSections | Where-Object { $_ -ne 'RELATED LINKS' }) {
        if (-not $sections.ContainsKey($title)) { Stop-HelpBuild $file 0 "the '## $title' section is missing" }
    }

    $synopsis = @(ConvertTo-HelpParagraph -File $file -Lines $sections['SYNOPSIS'].Body -What 'SYNOPSIS')
    if ($synopsis.Count -ne 1) { Stop-HelpBuild $file $sections['SYNOPSIS'].Line 'SYNOPSIS must be one paragraph' }
    $description = @(ConvertTo-HelpParagraph -File $file -Lines $sections['DESCRIPTION'].Body -What 'DESCRIPTION')
    if (-not $description.Count) { Stop-HelpBuild $file $sections['DESCRIPTION'].Line 'DESCRIPTION is empty' }
    $examples = @(Read-ExampleHelp -File $file -Section $sections['EXAMPLES'])
    if (-not $examples.Count) { Stop-HelpBuild $file $sections['EXAMPLES'].Line 'EXAMPLES has no example' }
    $parameters = @(Read-ParameterHelp -File $file -Section $sections['PARAMETERS'])
    $syntax = @(Read-SyntaxHelp -File $file -Section $sections['SYNTAX'])
    $syntax = @(Resolve-ParameterSet -File $file -Syntax $syntax -Parameters $parameters)

    [pscustomobject]@{
        File          = $file
        HelpFile      = $helpFile
        Name          = $name
        Verb          = $verb
        Noun          = $noun
        Synopsis      = $synopsis[0]
        Description   = $description
        Syntax        = $syntax
        Parameters    = $parameters
        Inputs        = @(Read-TypeHelp -File $file -Section $sections['INPUTS'])
        Outputs       = @(Read-TypeHelp -File $file -Section $sections['OUTPUTS'])
        Notes         = @(ConvertTo-HelpParagraph -File $file -Lines $sections['NOTES'].Body -What 'NOTES')
        Examples      = $examples
        RelatedLinks  = @(if ($sections.ContainsKey('RELATED LINKS')) { Read-RelatedLink -File $file -Section $sections['RELATED LINKS'] })
    }
}

#endregion

#region Writing MAML

function Write-MamlParagraph {
    # <maml:description> (or another container) holding one <maml:para> per paragraph.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [string] $Prefix = 'maml', [string] $Element = 'description', [AllowEmptyCollection()] [string[]] $Paragraph = @())
    $Writer.WriteStartElement($Prefix, $Element, $MamlNamespace[$Prefix])
    foreach ($text in $Paragraph) { $Writer.WriteElementString('maml', 'para', $MamlNamespace.maml, $text) }
    $Writer.WriteEndElement()
}

function Write-MamlType {
    # <dev:type>, as Get-Help reads a parameter's or an input's type.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] [string] $Name)
    $Writer.WriteStartElement('dev', 'type', $MamlNamespace.dev)
    $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Name)
    $Writer.WriteElementString('maml', 'uri', $MamlNamespace.maml, '')
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    <#
        One <command:parameter>. In SYNTAX a switch shows no value and a parameter with accepted
        values shows them as {A | B}; in PARAMETERS every parameter shows its type.
    #>
    param(
        [Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer,
        [Parameter(Mandatory)] $Parameter,
        [Parameter(Mandatory)] $Binding,
        [switch] $InSyntax
    )
    $isSwitch = $Binding.Type -eq 'SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $MamlNamespace.command)
    $Writer.WriteAttributeString('required', $Binding.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Binding.Type.EndsWith('[]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Binding.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Binding.PipelineInput)
    $Writer.WriteAttributeString('position', $(if ($Binding.Position -eq 'Named') { 'named' } else { $Binding.Position }))
    $Writer.WriteAttributeString('aliases', $(if ($Binding.Aliases.Count) { $Binding.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Parameter.Name)
    Write-MamlParagraph -Writer $Writer -Paragraph $Parameter.Description

    if ($InSyntax -and $Binding.AcceptedValues.Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $MamlNamespace.command)
        foreach ($value in $Binding.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespace.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $MamlNamespace.command, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    elseif (-not ($InSyntax -and $isSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespace.command)
        $Writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $Binding.Type.EndsWith('[]').ToString().ToLowerInvariant())
        $Writer.WriteString($Binding.Type)
        $Writer.WriteEndElement()
    }
    Write-MamlType -Writer $Writer -Name $Binding.Type
    $Writer.WriteElementString('dev', 'defaultValue', $MamlNamespace.dev, $Binding.DefaultValue)
    $Writer.WriteEndElement()
}

function Write-MamlTypeList {
    # <command:inputTypes> or <command:returnValues>: a type and what it is, per entry.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] [string] $List, [Parameter(Mandatory)] [string] $Item, [Parameter(Mandatory)] [object[]] $Types)
    $Writer.WriteStartElement('command', $List, $MamlNamespace.command)
    foreach ($type in $Types) {
        $Writer.WriteStartElement('command', $Item, $MamlNamespace.command)
        Write-MamlType -Writer $Writer -Name $type.Name
        Write-MamlParagraph -Writer $Writer -Paragraph $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    # One <command:command>, its parts in the order Get-Help and platyPS use.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] $Command)
    $Writer.WriteStartElement('command', 'command', $MamlNamespace.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $Writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $MamlNamespace[$prefix])
    }

    $Writer.WriteStartElement('command', 'details', $MamlNamespace.command)
    $Writer.WriteElementString('command', 'name', $MamlNamespace.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $MamlNamespace.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $MamlNamespace.command, $Command.Noun)
    Write-MamlParagraph -Writer $Writer -Paragraph $Command.Synopsis
    $Writer.WriteEndElement()

    Write-MamlParagraph -Writer $Writer -Paragraph $Command.Description

    $Writer.WriteStartElement('command', 'syntax', $MamlNamespace.command)
    foreach ($set in $Command.Syntax) {
        $Writer.WriteStartElement('command', 'syntaxItem', $MamlNamespace.command)
        $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Command.Name)
        foreach ($member in $set.Members) { Write-MamlParameter -Writer $Writer -Parameter $member.Parameter -Binding $member.Binding -InSyntax }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # One entry per parameter; where its binding differs by set, the first yaml block speaks here
    # and the syntax above shows each set exactly.
    $Writer.WriteStartElement('command', 'parameters', $MamlNamespace.command)
    foreach ($parameter in $Command.Parameters) { Write-MamlParameter -Writer $Writer -Parameter $parameter -Binding $parameter.Bindings[0] }
    $Writer.WriteEndElement()

    Write-MamlTypeList -Writer $Writer -List 'inputTypes' -Item 'inputType' -Types $Command.Inputs
    Write-MamlTypeList -Writer $Writer -List 'returnValues' -Item 'returnValue' -Types $Command.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $MamlNamespace.maml)
    Write-MamlParagraph -Writer $Writer -Element 'alert' -Paragraph $Command.Notes
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $MamlNamespace.command)
    foreach ($example in $Command.Examples) {
        $Writer.WriteStartElement('command', 'example', $MamlNamespace.command)
        # Get-Help prints the title as it is; the dashes are how every MAML example title looks.
        $Writer.WriteElementString('maml', 'title', $MamlNamespace.maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $MamlNamespace.dev, $example.Code)
        # The empty last paragraph is the blank line Get-Help otherwise leaves out before the next title.
        Write-MamlParagraph -Writer $Writer -Prefix 'dev' -Element 'remarks' -Paragraph ($example.Remarks + '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $MamlNamespace.command)
    foreach ($link in $Command.RelatedLinks) {
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNamespace.maml)
        $Writer.WriteElementString('maml', 'linkText', $MamlNamespace.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $MamlNamespace.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Write-MamlHelpFile {
    <#
        Writes <helpItems schema="maml"> with the given commands. XmlWriter escapes all text and
        refuses characters XML cannot hold, so no help text can break the file.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Command)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Command) { Write-MamlCommand -Writer $writer -Command $item }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

#endregion

#region About topics

function Convert-AboutTopic {
    <#
        about_<Topic>.md to the plain-text layout of about topics: TOPIC and the name, '## ' headings
        as capitalised lines, every other line indented four spaces (code fences dropped, so fenced
        or indented code ends up at eight). No rewrapping: the source keeps its lines short, and a
        line that would reach 80 columns stops the build.
    #>
    param([Parameter(Mandatory)] [System.IO.FileInfo] $Path, [Parameter(Mandatory)] [string] $Destination)
    $file = $Path.Name
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

#endregion

function Build-CultureHelp {
    # One culture folder (help/en-US) into <OutputDirectory>/en-US.
    param([Parameter(Mandatory)] [System.IO.DirectoryInfo] $Source, [Parameter(Mandatory)] [string] $Destination)
    $null = New-Item -ItemType Directory -Path $Destination -Force

    $commands = @(Get-ChildItem -LiteralPath $Source.FullName -Filter '*.md' | Where-Object { $_.Name -notlike 'about_*' } |
            Sort-Object Name | ForEach-Object { Read-CommandHelp -Path $_ })
    if (-not $commands.Count) { Stop-HelpBuild $Source.FullName 0 'no cmdlet help (*.md) found' }
    foreach ($group in $commands | Group-Object HelpFile) {
        $path = Join-Path $Destination $group.Name
        Write-MamlHelpFile -Path $path -Command $group.Group
        Write-Verbose "Wrote $path ($($group.Count) cmdlets)."
    }

    foreach ($about in Get-ChildItem -LiteralPath $Source.FullName -Filter 'about_*.md') {
        $path = Join-Path $Destination "$($about.BaseName).help.txt"
        Convert-AboutTopic -Path $about -Destination $path
        Write-Verbose "Wrote $path."
    }
}

$cultures = @(Get-ChildItem -LiteralPath $PSScriptRoot -Directory | Where-Object Name -match '^[a-z]{2}(-[A-Z]{2})?$')
if (-not $cultures.Count) { throw "Build-Help: no culture folder (such as en-US) in $PSScriptRoot." }
$outputRoot = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputDirectory)
foreach ($culture in $cultures) {
    Build-CultureHelp -Source $culture -Destination (Join-Path $outputRoot $culture.Name)
}
