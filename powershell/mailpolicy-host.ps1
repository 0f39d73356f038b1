<#
.SYNOPSIS
    mailpolicy PowerShell host: runs allowlisted Exchange cmdlets for the mailpolicy runner.

.DESCRIPTION
    Started by the runner as `pwsh -NoLogo -NoProfile -NonInteractive -File mailpolicy-host.ps1`.
    Reads one JSON request per line on stdin and writes exactly one JSON response per line on
    stdout; nothing else is written to stdout. The text of this script is constant: request data
    is parsed as JSON and only ever passed to an allowlisted cmdlet by splatting, never run as code.
    The allowlist (host-config.json beside this script) is generated from mailpolicy's cmdlet catalog.

    Requests:
      {"id":1,"type":"connect","cmdlet":"Connect-ExchangeOnline","parameters":{...}}
      {"id":2,"type":"invoke","cmdlet":"Get-TransportConfig","parameters":{}}
      {"id":3,"type":"batch","requests":[{"cmdlet":"Set-CASMailbox","parameters":{...}}, ...]}
    A read may name optional properties to shape besides the cmdlet's returned ones (each must be
    in its "optionalReturns" in host-config.json; names only, never code):
      {"id":4,"type":"invoke","cmdlet":"Get-CASMailbox","parameters":{...},"properties":["PopUseProtocolDefaults"]}
    Responses:
      {"id":2,"ok":true,"data":...,"warnings":[...]}
      {"id":2,"ok":false,"error":{"message","type","fullyQualifiedErrorId","category","transient"},"warnings":[...]}
    While it runs a batch, each item is announced as it starts (0-based index into "requests"), so
    the runner gives every cmdlet its own deadline and knows which one hung:
      {"id":3,"started":0}
    While it collects the objects of a read sent as an "invoke" (never a write, never a batch item),
    it says how many it has so far, at most once a second, so a read of 100,000 mailboxes is not
    silent until its response; the response is the same with or without these lines:
      {"id":2,"received":42000}
#>
#Requires -Version 7.4
[CmdletBinding()]
param()

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'

$script:Utf8 = [System.Text.UTF8Encoding]::new($false)
$script:In = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $script:Utf8, $false, 65536)
$script:Out = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $script:Utf8, 65536)
$script:Out.AutoFlush = $false
$script:Out.NewLine = "`n"
# Anything written to the console by a module goes to stderr: stdout carries the protocol only.
[Console]::SetOut([Console]::Error)

# How often, at most, a read's count goes out: RECEIVED_EVERY_MS in src/exchange/host-protocol.ts (a test holds them equal).
$script:ReceivedEveryMs = 1000

$script:Session = $null
$script:Connected = $false
# -Credential and -Authentication of the Exchange session, reused by Invoke-Command for the service cmdlets.
$script:Remoting = @{}

function ConvertFrom-JsonElement {
    # System.Text.Json keeps every string a string (ConvertFrom-Json would turn ISO dates into DateTime).
    param([System.Text.Json.JsonElement] $Element)
    switch ($Element.ValueKind.ToString()) {
        'Object' {
            $table = @{}
            foreach ($property in $Element.EnumerateObject()) {
                $table[$property.Name] = ConvertFrom-JsonElement -Element $property.Value
            }
            return $table
        }
        'Array' {
            $list = [System.Collections.Generic.List[object]]::new()
            foreach ($item in $Element.EnumerateArray()) {
                $list.Add((ConvertFrom-JsonElement -Element $item))
            }
            return , $list.ToArray()
        }
        'String' { return $Element.GetString() }
        'Number' {
            [long] $whole = 0
            if ($Element.TryGetInt64([ref] $whole)) {
                if ($whole -ge [int]::MinValue -and $whole -le [int]::MaxValue) { return [int] $whole }
                return $whole
            }
            return $Element.GetDouble()
        }
        'True' { return $true }
        'False' { return $false }
        default { return $null }
    }
}

function Read-JsonText {
    param([string] $Text)
    $document = [System.Text.Json.JsonDocument]::Parse($Text)
    try {
        return ConvertFrom-JsonElement -Element $document.RootElement
    } finally {
        $document.Dispose()
    }
}

$script:Config = Read-JsonText -Text ([System.IO.File]::ReadAllText((Join-Path $PSScriptRoot 'host-config.json'), $script:Utf8))
$script:Cmdlets = $script:Config['cmdlets']

function Write-Response {
    param([System.Collections.IDictionary] $Response)
    $json = ConvertTo-Json -InputObject $Response -Depth 10 -Compress -EnumsAsStrings
    $script:Out.Write($json)
    $script:Out.Write("`n")
    $script:Out.Flush()
}

function New-HostError {
    param([string] $ErrorId, [string] $Message)
    $exception = [System.InvalidOperationException]::new($Message)
    return [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, [System.Management.Automation.ErrorCategory]::InvalidOperation, $null)
}

function Test-ContainsAny {
    param([string] $Text, [object[]] $Patterns)
    foreach ($pattern in $Patterns) {
        if ($Text.IndexOf([string] $pattern, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
    }
    return $false
}

function Get-ErrorInfo {
    param([System.Management.Automation.ErrorRecord] $Record)
    $exception = $Record.Exception
    $type = $exception.GetType().FullName
    $reason = [string] $Record.CategoryInfo.Reason
    $id = [string] $Record.FullyQualifiedErrorId
    $message = [string] $exception.Message
    # Exchange Online (Write-ErrorMessage) words errors `<code>|<exception type>|<text>` inside a
    # WriteErrorException, the short type in the reason (docs/exchange-facts.md); the code and type
    # may be empty (timmcmic/DLConversionV2 #188). Errors from an imported Exchange session arrive
    # as RemoteException, the original type in the reason. Either way the type is Exchange's own.
    $parts = [regex]::Match($message, [string] $script:Config['exoErrorMessagePattern'])
    if ($parts.Success) {
        $message = $parts.Groups[3].Value
        if ($parts.Groups[2].Value) { $type = $parts.Groups[2].Value } elseif ($reason) { $type = $reason }
    } elseif ($exception -is [System.Management.Automation.RemoteException] -and $reason) {
        $type = $reason
    }
    $identity = "$type`n$id`n$reason"
    $transient = (-not (Test-ContainsAny -Text $identity -Patterns $script:Config['permanentPatterns'])) -and
        (Test-ContainsAny -Text "$identity`n$message" -Patterns $script:Config['transientPatterns'])
    return [ordered]@{
        message               = $message
        type                  = $type
        fullyQualifiedErrorId = $id
        category              = [string] $Record.CategoryInfo.Category
        transient             = $transient
    }
}

function Get-AllowedSpec {
    param([object] $Name, [string[]] $Effects)
    $cmdletName = [string] $Name
    if (-not ($script:Cmdlets.Keys -ccontains $cmdletName)) {
        throw (New-HostError -ErrorId 'MailpolicyHost.NotAllowed' -Message "'$cmdletName' is not an allowlisted cmdlet")
    }
    $spec = $script:Cmdlets[$cmdletName]
    if (-not ($Effects -ccontains $spec['effect'])) {
        throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message "'$cmdletName' cannot be run as this kind of request")
    }
    return $spec
}

function Get-Splat {
    param([System.Collections.IDictionary] $Request, [System.Collections.IDictionary] $Spec, [string] $CmdletName)
    $splat = @{}
    $given = $Request['parameters']
    if ($null -eq $given) { return $splat }
    if ($given -isnot [System.Collections.IDictionary]) {
        throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message 'parameters must be a JSON object')
    }
    foreach ($key in $given.Keys) {
        $parameterName = [string] $key
        if (-not ($Spec['parameters'] -ccontains $parameterName)) {
            throw (New-HostError -ErrorId 'MailpolicyHost.NotAllowed' -Message "'$parameterName' is not an allowlisted parameter of $CmdletName")
        }
        $value = $given[$key]
        if ($Spec['secureString'] -ccontains $parameterName -and $null -ne $value) {
            $value = ConvertTo-SecureString -String ([string] $value) -AsPlainText -Force
        }
        if ($Spec['credential'] -ccontains $parameterName) {
            # {"UserName": ..., "Password": ...} (checked by the catalog): a PSCredential, the password a SecureString.
            if ($value -isnot [System.Collections.IDictionary]) {
                throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message "'$parameterName' must be an object with UserName and Password")
            }
            $password = ConvertTo-SecureString -String ([string] $value['Password']) -AsPlainText -Force
            $value = [System.Management.Automation.PSCredential]::new([string] $value['UserName'], $password)
        }
        $splat[$parameterName] = $value
    }
    return $splat
}

function Get-ReturnedProperties {
    # The properties a read's objects are shaped to: the cmdlet's returns, then the optional ones
    # the request names (each allowlisted in optionalReturns), so unasked ones never travel.
    param([System.Collections.IDictionary] $Request, [System.Collections.IDictionary] $Spec, [string] $CmdletName)
    $asked = $Request['properties']
    if ($null -eq $asked) { return $Spec['returns'] }
    if ($asked -isnot [array]) {
        throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message 'properties must be a JSON array of names')
    }
    $optional = $Spec['optionalReturns']
    $shape = [ordered]@{}
    if ($null -ne $Spec['returns']) {
        foreach ($name in $Spec['returns'].Keys) { $shape[$name] = $Spec['returns'][$name] }
    }
    foreach ($entry in $asked) {
        $propertyName = [string] $entry
        if ($null -eq $optional -or -not ($optional.Keys -ccontains $propertyName)) {
            throw (New-HostError -ErrorId 'MailpolicyHost.NotAllowed' -Message "'$propertyName' is not an allowlisted optional property of $CmdletName")
        }
        $shape[$propertyName] = $optional[$propertyName]
    }
    return $shape
}

function ConvertTo-ResultObject {
    param([object] $Item, [System.Collections.IDictionary] $Returns)
    $shaped = [ordered]@{}
    foreach ($name in $Returns.Keys) {
        $property = $Item.PSObject.Properties[$name]
        $value = $null
        if ($null -ne $property) { $value = $property.Value }
        $form = $Returns[$name]
        if ($null -eq $value) {
            $shaped[$name] = $null
        } elseif ($form -ceq 'string') {
            $shaped[$name] = $value.ToString()
        } elseif ($form -ceq 'list') {
            $entries = [System.Collections.Generic.List[string]]::new()
            foreach ($entry in $value) {
                if ($null -ne $entry) { $entries.Add($entry.ToString()) }
            }
            $shaped[$name] = $entries.ToArray()
        } else {
            $shaped[$name] = $value
        }
    }
    return $shaped
}

$script:RemoteServiceCall = {
    param([string] $CommandName, [hashtable] $Parameters)
    & $CommandName @Parameters -ErrorAction Stop
}

function Invoke-Allowed {
    # $ReceivedId: the id of an invoke request, whose read's count goes out while its objects arrive; $null for a batch item.
    param([System.Collections.IDictionary] $Request, [object] $ReceivedId = $null)
    $warnings = [System.Collections.Generic.List[string]]::new()
    try {
        if (-not $script:Connected) {
            throw (New-HostError -ErrorId 'MailpolicyHost.NotConnected' -Message 'not connected: the runner must send a connect request first')
        }
        $name = [string] $Request['cmdlet']
        $spec = Get-AllowedSpec -Name $name -Effects @('read', 'write')
        $splat = Get-Splat -Request $Request -Spec $spec -CmdletName $name
        $returns = Get-ReturnedProperties -Request $Request -Spec $spec -CmdletName $name
        $captured = $null
        $isRead = $spec['effect'] -ceq 'read'
        # A read's objects are taken (and shaped) one by one as the cmdlet writes them, counted for
        # the runner; everything else is collected as the cmdlet's output.
        $collected = [System.Collections.Generic.List[object]]::new()
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $nextReport = $script:ReceivedEveryMs
        $sink = {
            process {
                foreach ($one in $_) {
                    if ($null -ne $returns -and $null -ne $one) { $one = ConvertTo-ResultObject -Item $one -Returns $returns }
                    $collected.Add($one)
                }
                if ($null -ne $ReceivedId -and $clock.ElapsedMilliseconds -ge $nextReport) {
                    Write-Response -Response ([ordered]@{ id = $ReceivedId; received = $collected.Count })
                    $nextReport = $clock.ElapsedMilliseconds + $script:ReceivedEveryMs
                }
            }
        }
        if (-not $isRead) { $sink = { process { } } }
        $computer = $Request['computerName']
        if ([bool] $spec['remoteService'] -ne ($computer -is [string] -and $computer.Length -gt 0)) {
            throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message "computerName names the Exchange server of a Windows service cmdlet, and only of one ($name)")
        }
        if ($spec['remoteService']) {
            # Windows services live on the Exchange server: run the cmdlet there. The server is
            # Invoke-Command's -ComputerName (the service cmdlets have none since PowerShell 6.0).
            # The same identity and mechanism as the Exchange session (-Credential, -Authentication of New-PSSession).
            $remoting = $script:Remoting
            Invoke-Command -ComputerName $computer @remoting -ScriptBlock $script:RemoteServiceCall -ArgumentList $name, $splat -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable captured | . $sink
        } else {
            $command = Get-Command -Name $name -CommandType @('Cmdlet', 'Function') -ErrorAction Stop
            & $command @splat -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable captured | . $sink
        }
        foreach ($warning in @($captured)) {
            if ($null -ne $warning) { $warnings.Add([string] $warning) }
        }
        $data = $null
        if ($isRead) {
            # Shaped as they came; a read that returned nothing is an empty list, one object unwrapped.
            $items = $collected.ToArray()
            if ($items.Count -eq 1) { $data = $items[0] } elseif ($items.Count -gt 1) { $data = $items }
        }
        return [ordered]@{ ok = $true; data = $data; warnings = $warnings.ToArray() }
    } catch {
        return [ordered]@{ ok = $false; error = (Get-ErrorInfo -Record $_); warnings = $warnings.ToArray() }
    }
}

function Connect-Target {
    param([System.Collections.IDictionary] $Request)
    $name = [string] $Request['cmdlet']
    $spec = Get-AllowedSpec -Name $name -Effects @('connect')
    $splat = Get-Splat -Request $Request -Spec $spec -CmdletName $name
    $script:Connected = $false
    if ($name -ceq 'Connect-ExchangeOnline') {
        if (-not (Get-Module -ListAvailable -Name 'ExchangeOnlineManagement')) {
            # The version lets the runner name a module version this pwsh can load (src/exchange/module-versions.ts).
            throw (New-HostError -ErrorId 'MailpolicyHost.ModuleNotFound' -Message "The ExchangeOnlineManagement module is not installed for this pwsh (PowerShell $($PSVersionTable.PSVersion)).")
        }
        Import-Module -Name 'ExchangeOnlineManagement' -ErrorAction Stop -WarningAction SilentlyContinue
        if ($null -ne (Get-ConnectionInformation -ErrorAction SilentlyContinue)) {
            Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        }
        Connect-ExchangeOnline @splat -ErrorAction Stop | Out-Null
    } else {
        # Test seam (docs/powershell.md, "Testing under real PowerShell"): a module named by
        # MAILPOLICY_HOST_REMOTING_MODULE, found on PSModulePath as ExchangeOnlineManagement is, is
        # imported first; its New-PSSession, Import-PSSession, Remove-PSSession and Invoke-Command
        # functions shadow the cmdlets (functions come before cmdlets), so the on-premises path runs
        # without WSMan. It adds nothing PSModulePath does not already decide.
        $remoting = [string] $env:MAILPOLICY_HOST_REMOTING_MODULE
        if ($remoting.Length -gt 0) {
            Import-Module -Name $remoting -ErrorAction Stop -WarningAction SilentlyContinue
        }
        if ($null -ne $script:Session) {
            Remove-PSSession -Session $script:Session -ErrorAction SilentlyContinue
            $script:Session = $null
        }
        # Invoke-Command (the service cmdlets) connects as New-PSSession does: same credential, same mechanism.
        $script:Remoting = @{}
        foreach ($key in @('Credential', 'Authentication')) {
            if ($splat.ContainsKey($key)) { $script:Remoting[$key] = $splat[$key] }
        }
        try {
            $script:Session = New-PSSession @splat -ErrorAction Stop
        } catch {
            # Decided by capability, not by OS: PowerShell on Linux or macOS without a WSMan client
            # says "This parameter set requires WSMan, and no supported WSMan client library was found."
            if ([string] $_.Exception.Message -match 'requires WSMan') {
                throw (New-HostError -ErrorId 'MailpolicyHost.WindowsOnly' -Message "Exchange Server remote PowerShell (WSMan) needs a WSMan client, which this PowerShell does not have ($($_.Exception.Message))")
            }
            throw
        }
        $imported = [System.Collections.Generic.List[string]]::new()
        foreach ($cmdletName in $script:Cmdlets.Keys) {
            $entry = $script:Cmdlets[$cmdletName]
            if ($entry['platforms'] -ccontains 'exchangeServer' -and $entry['effect'] -cne 'connect' -and -not $entry['remoteService']) {
                $imported.Add([string] $cmdletName)
            }
        }
        Import-PSSession -Session $script:Session -CommandName $imported.ToArray() -DisableNameChecking -AllowClobber -ErrorAction Stop | Out-Null
    }
    $script:Connected = $true
    return [ordered]@{ psVersion = $PSVersionTable.PSVersion.ToString() }
}

while ($true) {
    $line = $script:In.ReadLine()
    if ($null -eq $line) { break }
    if ($line.Trim().Length -eq 0) { continue }
    $id = $null
    try {
        $request = Read-JsonText -Text $line
        if ($request -isnot [System.Collections.IDictionary]) {
            throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message 'a request must be a JSON object')
        }
        $id = $request['id']
        $type = [string] $request['type']
        if ($type -ceq 'connect') {
            $info = Connect-Target -Request $request
            Write-Response -Response ([ordered]@{ id = $id; ok = $true; data = $info; warnings = @() })
        } elseif ($type -ceq 'invoke') {
            $outcome = Invoke-Allowed -Request $request -ReceivedId $id
            $outcome.Insert(0, 'id', $id)
            Write-Response -Response $outcome
        } elseif ($type -ceq 'batch') {
            $results = [System.Collections.Generic.List[object]]::new()
            $index = 0
            foreach ($item in @($request['requests'])) {
                Write-Response -Response ([ordered]@{ id = $id; started = $index })
                $index++
                if ($item -is [System.Collections.IDictionary]) {
                    $results.Add((Invoke-Allowed -Request $item))
                } else {
                    $results.Add([ordered]@{ ok = $false; error = (Get-ErrorInfo -Record (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message 'a batch item must be a JSON object')); warnings = @() })
                }
            }
            Write-Response -Response ([ordered]@{ id = $id; ok = $true; data = $results.ToArray(); warnings = @() })
        } else {
            throw (New-HostError -ErrorId 'MailpolicyHost.BadRequest' -Message "unknown request type '$type'")
        }
    } catch {
        Write-Response -Response ([ordered]@{ id = $id; ok = $false; error = (Get-ErrorInfo -Record $_); warnings = @() })
    }
}

if ($null -ne $script:Session) { Remove-PSSession -Session $script:Session -ErrorAction SilentlyContinue }
if ($script:Connected -and (Get-Command -Name 'Disconnect-ExchangeOnline' -ErrorAction SilentlyContinue)) {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}
