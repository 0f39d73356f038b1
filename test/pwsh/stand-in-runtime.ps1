<#
    Runtime of the stand-in Exchange modules (test only, never shipped). Dot-sourced by the modules
    that test/pwsh/stand-in-modules.ts generates from Microsoft's reference: those modules declare
    each cmdlet with the parameters and types of its reference page, so PowerShell binds what the
    mailpolicy host sends exactly as it would against Exchange; this file forwards each call to
    the simulator.

    One model of Exchange: every call goes, as one JSON line, to a long-lived Node bridge
    (test/pwsh/bridge.js) that runs it through the simulator (src/simulator/backend.ts). State,
    faults and throttling are the simulator's; the bridge starts on first use and ends with pwsh.

    Environment (set by the tests on the mailpolicy host's process):
      MAILPOLICY_STANDIN_STATE   the simulator state file (read by the bridge)
      MAILPOLICY_STANDIN_NODE    the Node executable for the bridge (default: node on PATH)
      MAILPOLICY_STANDIN_NOISE   1: the module writes to the console as real modules do
                                 (Write-Host banner, [Console]::WriteLine, pipeline output of Connect)
      MAILPOLICY_STANDIN_PROMPT  cmdlet name: that cmdlet asks with Read-Host (a prompt under -NonInteractive)
      MAILPOLICY_STANDIN_BRIDGE_LOG  file: the bridge appends each request it receives
      MAILPOLICY_STANDIN_PAGE_MS the objects of a read are written in pages of 1,000 with this many
                                 milliseconds between them, as a large read's arrive over time
    Bridge switches (hang, crash, faults) are documented in bridge.js.
#>

$script:StandInBridge = $null
$script:StandInConnected = $false
# Exchange Online: the REST cmdlets Connect-ExchangeOnline -CommandName loaded ($null: all), and
# the module's own cmdlets, which it does not restrict (set by the generated module).
$script:StandInCommandNames = $null
$script:StandInModuleCmdlets = @()
# Exchange Server: the cmdlets Import-PSSession imported, and the server Invoke-Command runs on.
$script:StandInImported = @()
$script:StandInComputer = $null
$script:StandInUtf8 = [System.Text.UTF8Encoding]::new($false)
# ConvertFrom-Json turns ISO-8601-looking strings into DateTime unless told (PowerShell 7.5+).
$script:StandInJsonArgs = @{}
if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $script:StandInJsonArgs['DateKind'] = 'String' }

function Start-StandInBridge {
    $node = $env:MAILPOLICY_STANDIN_NODE
    if ([string]::IsNullOrEmpty($node)) { $node = 'node' }
    $info = [System.Diagnostics.ProcessStartInfo]::new($node)
    $info.ArgumentList.Add((Join-Path $PSScriptRoot 'bridge.js'))
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $false
    $info.StandardInputEncoding = $script:StandInUtf8
    $info.StandardOutputEncoding = $script:StandInUtf8
    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.AutoFlush = $true
    $process.StandardInput.NewLine = "`n"
    $script:StandInBridge = $process
}

# One request, one answer: the simulator's result, error or the news that Exchange "crashed".
function Invoke-StandInBridge {
    param([string] $Cmdlet, [System.Collections.IDictionary] $Parameters, [string] $ComputerName)
    if ($null -eq $script:StandInBridge -or $script:StandInBridge.HasExited) { Start-StandInBridge }
    $request = [ordered]@{ cmdlet = $Cmdlet; parameters = $Parameters }
    if ($ComputerName.Length -gt 0) { $request['computerName'] = $ComputerName }
    $line = ConvertTo-Json -InputObject $request -Compress -Depth 10
    $script:StandInBridge.StandardInput.WriteLine($line)
    $answer = $script:StandInBridge.StandardOutput.ReadLine()
    if ($null -eq $answer) { throw "stand-in bridge ended without answering $Cmdlet" }
    $response = ConvertFrom-Json -InputObject $answer @script:StandInJsonArgs
    if ($response.PSObject.Properties['crash']) {
        # The simulator's `crash` fault: this process dies mid-call, as a crashing pwsh does.
        [System.Diagnostics.Process]::GetCurrentProcess().Kill()
    }
    return $response
}

<#
    Exchange Online's error shape (EXO V3 REST cmdlets, the module's Write-ErrorMessage; see
    docs/exchange-facts.md and timmcmic/DLConversionV2 issues 129/130): message
    `<code>|<exception type>|<text>`, FullyQualifiedErrorId `[Server=…,RequestId=…,TimeStamp=…],Write-ErrorMessage`
    (Write-Error inside this function appends its name), CategoryInfo.Reason the short type.
#>
function Write-ErrorMessage {
    param([object] $ErrorInfo)
    $type = [string] $ErrorInfo.type
    $short = $type.Substring($type.LastIndexOf('.') + 1)
    $hash = [System.Security.Cryptography.SHA256]::HashData($script:StandInUtf8.GetBytes($type))
    $code = 'Ex' + [System.Convert]::ToHexString($hash, 0, 3)
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    [void] [System.Enum]::TryParse([string] $ErrorInfo.category, $true, [ref] $category)
    $stamp = [DateTime]::UtcNow.ToString('ddd, dd MMM yyyy HH:mm:ss', [System.Globalization.CultureInfo]::InvariantCulture) + ' GMT'
    $errorId = "[Server=BN8PR04MB6241,RequestId=$([guid]::NewGuid()),TimeStamp=$stamp]"
    Write-Error -Message "$code|$type|$($ErrorInfo.message)" -ErrorId $errorId -Category $category -CategoryReason $short
}

<#
    Exchange Server's error shape: an imported remote session delivers errors as RemoteException,
    the original exception type in CategoryInfo.Reason (docs/exchange-facts.md); so does
    Invoke-Command for the service cmdlets it runs on a server.
#>
function Write-RemoteError {
    param([object] $ErrorInfo)
    $type = [string] $ErrorInfo.type
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    [void] [System.Enum]::TryParse([string] $ErrorInfo.category, $true, [ref] $category)
    $exception = [System.Management.Automation.RemoteException]::new([string] $ErrorInfo.message)
    Write-Error -Exception $exception -ErrorId ([string] $ErrorInfo.fullyQualifiedErrorId) -Category $category -CategoryReason $type.Substring($type.LastIndexOf('.') + 1)
}

function ConvertTo-StandInValue {
    param([object] $Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [timespan]) { return $Value.ToString() }
    # A DateTime (Set-User -StsRefreshTokensValidFrom) travels to the simulator as ISO 8601 UTC, the catalog's form.
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [uri]) { return $Value.OriginalString }
    if ($Value -is [string] -or $Value -is [bool] -or $Value -is [int] -or $Value -is [long]) { return $Value }
    if ($Value -is [System.Collections.IEnumerable]) {
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $list.Add((ConvertTo-StandInValue -Value $item)) }
        return , $list.ToArray()
    }
    return [string] $Value
}

function Write-StandInNoise {
    param([string] $Cmdlet)
    if ($env:MAILPOLICY_STANDIN_NOISE -ne '1') { return }
    Write-Host "stand-in $Cmdlet says hello through Write-Host {`"id`":1,`"ok`":true}"
    [Console]::WriteLine("stand-in $Cmdlet writes to [Console]::Out")
    Write-Information "stand-in $Cmdlet information"
}

# Runs one generated cmdlet: the bound parameters the simulator knows go over the bridge.
function Invoke-StandInCmdlet {
    param(
        [string] $Name,
        [System.Collections.IDictionary] $Bound,
        [string[]] $Forward,
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [bool] $ShouldProcess,
        # 'Online' (Write-ErrorMessage), 'Remote' (an imported session), 'Service' (through Invoke-Command)
        [string] $Style = 'Online'
    )
    if ($Style -ceq 'Remote' -and $script:StandInImported -cnotcontains $Name) {
        throw [System.Management.Automation.CommandNotFoundException]::new("The term '$Name' is not recognized: Import-PSSession has not imported it.")
    }
    if ($Style -ceq 'Online' -and $null -ne $script:StandInCommandNames -and $script:StandInModuleCmdlets -cnotcontains $Name -and $script:StandInCommandNames -cnotcontains $Name) {
        throw [System.Management.Automation.CommandNotFoundException]::new("The term '$Name' is not recognized: Connect-ExchangeOnline -CommandName did not load it.")
    }
    if ($Style -ceq 'Service' -and $null -eq $script:StandInComputer) {
        throw [System.InvalidOperationException]::new("$Name runs on an Exchange server, through Invoke-Command -ComputerName (it has no -ComputerName of its own).")
    }
    if ($Name -ceq $env:MAILPOLICY_STANDIN_PROMPT) {
        $null = Read-Host -Prompt "Are you sure you want to run $Name"
    }
    if ($ShouldProcess -and -not $Cmdlet.ShouldProcess([string] $Bound['Identity'], $Name)) { return }
    Write-StandInNoise -Cmdlet $Name
    $parameters = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($Forward -ccontains $key) { $parameters[$key] = ConvertTo-StandInValue -Value $Bound[$key] }
    }
    # A service cmdlet runs on the server Invoke-Command was given: the simulator's request names it beside the parameters.
    $computerName = if ($Style -ceq 'Service') { $script:StandInComputer } else { $null }
    $response = Invoke-StandInBridge -Cmdlet $Name -Parameters $parameters -ComputerName $computerName
    foreach ($warning in @($response.warnings)) {
        if ($null -ne $warning) { Write-Warning -Message ([string] $warning) }
    }
    if (-not $response.ok) {
        if ($Style -ceq 'Online') { Write-ErrorMessage -ErrorInfo $response.error } else { Write-RemoteError -ErrorInfo $response.error }
        return
    }
    $pageMs = [int] $env:MAILPOLICY_STANDIN_PAGE_MS
    $written = 0
    foreach ($item in @($response.data)) {
        if ($null -eq $item) { continue }
        $item
        $written++
        if ($pageMs -gt 0 -and $written % 1000 -eq 0) { Start-Sleep -Milliseconds $pageMs }
    }
}

function Connect-StandInExchange {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $script:StandInConnected = $false
    if ($Bound.ContainsKey('ShowBanner') -and $Bound['ShowBanner'].IsPresent) {
        Write-Host 'This V3 EXO PowerShell module (stand-in) contains new REST API backed Exchange Online cmdlets.'
    }
    if ($env:MAILPOLICY_STANDIN_NOISE -eq '1') {
        Write-Host '----------------------------------------------------------------------------------------'
        [Console]::WriteLine('{"id":1,"ok":true,"data":"a line that looks like the protocol"}')
        [Console]::Out.Flush()
        # Pipeline output of Connect: the host must discard it.
        'Connected (pipeline output)'
    }
    $null = Invoke-StandInCmdlet -Name 'Connect-ExchangeOnline' -Bound $Bound -Forward $Forward -Cmdlet $Cmdlet -ShouldProcess $false
    $script:StandInCommandNames = if ($Bound.ContainsKey('CommandName')) { [string[]] $Bound['CommandName'] } else { $null }
    $script:StandInConnected = $true
}

function Get-StandInConnectionInformation {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    if (-not $script:StandInConnected) { return }
    Invoke-StandInCmdlet -Name 'Get-ConnectionInformation' -Bound $Bound -Forward $Forward -Cmdlet $Cmdlet -ShouldProcess $false
}

function Disconnect-StandInExchange {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $script:StandInConnected = $false
}

# ---- Exchange Server: the remoting cmdlets the host uses, shadowed by functions (the test seam) ----

# MAILPOLICY_STANDIN_REMOTING_LOG: each New-PSSession and Invoke-Command appends how it was asked
# to connect: the credential's type and user, a SHA-256 of its password (the tests compare it, so
# the password itself is written nowhere) and the authentication mechanism.
function Write-StandInRemotingLog {
    param([string] $Cmdlet, [System.Collections.IDictionary] $Bound)
    if ([string]::IsNullOrEmpty($env:MAILPOLICY_STANDIN_REMOTING_LOG)) { return }
    $credential = $Bound['Credential']
    $entry = [ordered]@{ cmdlet = $Cmdlet; computerName = $null; credentialType = $null; userName = $null; passwordSha256 = $null; authentication = $null }
    if ($Bound.ContainsKey('ComputerName')) { $entry.computerName = [string] @($Bound['ComputerName'])[0] }
    if ($null -ne $credential) {
        $entry.credentialType = $credential.GetType().FullName
        $entry.userName = $credential.UserName
        $plain = $credential.GetNetworkCredential().Password
        $entry.passwordSha256 = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($script:StandInUtf8.GetBytes($plain))).ToLowerInvariant()
    }
    if ($Bound.ContainsKey('Authentication')) { $entry.authentication = [string] $Bound['Authentication'] }
    Add-Content -LiteralPath $env:MAILPOLICY_STANDIN_REMOTING_LOG -Value (ConvertTo-Json -InputObject $entry -Compress)
}

function New-StandInSession {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    Write-StandInRemotingLog -Cmdlet 'New-PSSession' -Bound $Bound
    # -ConnectionUri takes a list (Uri[]); the catalog sends one, and the simulator takes one.
    $single = @{}
    foreach ($key in $Bound.Keys) { $single[$key] = $Bound[$key] }
    if ($single.ContainsKey('ConnectionUri')) { $single['ConnectionUri'] = [string] @($single['ConnectionUri'])[0] }
    $null = Invoke-StandInCmdlet -Name 'New-PSSession' -Bound $single -Forward $Forward -Cmdlet $Cmdlet -ShouldProcess $false -Style 'Connect'
    [pscustomobject]@{ StandInSession = $true; ConnectionUri = [string] $single['ConnectionUri']; ConfigurationName = [string] $Bound['ConfigurationName'] }
}

function Import-StandInSession {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $session = $Bound['Session']
    if ($null -eq $session -or -not $session.PSObject.Properties['StandInSession']) {
        throw [System.ArgumentException]::new('Import-PSSession: -Session is not a session New-PSSession returned.')
    }
    $script:StandInImported = @($Bound['CommandName'])
}

function Remove-StandInSession {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $script:StandInImported = @()
}

function Invoke-StandInRemoteCommand {
    param([System.Collections.IDictionary] $Bound, [string[]] $Forward, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $computers = @($Bound['ComputerName'])
    if ($computers.Count -ne 1) { throw [System.ArgumentException]::new('Invoke-Command: the stand-in runs on exactly one -ComputerName.') }
    Write-StandInRemotingLog -Cmdlet 'Invoke-Command' -Bound $Bound
    $script:StandInComputer = [string] $computers[0]
    try {
        $arguments = @($Bound['ArgumentList'])
        & $Bound['ScriptBlock'] @arguments
    } finally {
        $script:StandInComputer = $null
    }
}
