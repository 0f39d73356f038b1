/**
 * Which ExchangeOnlineManagement a PowerShell can load, and how to install it: 3.10 and later
 * need PowerShell 7.6, 3.5 to 3.9.x need 7.4 (docs/exchange-facts.md, "Running cmdlets from a program").
 * The host reports its $PSVersionTable.PSVersion when the module is missing, so the hint fits.
 */

/** How the host words the version in its module-not-found message: `… (PowerShell 7.4.6).` */
const REPORTED_VERSION = /\(PowerShell (\d+)\.(\d+)(?:\.\d+)*[^)]*\)/;

function reportedVersion(hostMessage: string): { text: string; major: number; minor: number } | undefined {
  const m = REPORTED_VERSION.exec(hostMessage);
  if (!m) return undefined;
  return { text: (m[0] as string).slice('(PowerShell '.length, -1), major: Number(m[1]), minor: Number(m[2]) };
}

/** What to run when ExchangeOnlineManagement is missing for `pwshPath`, given the host's message. */
export function moduleInstallHint(pwshPath: string, hostMessage: string): string {
  const install = (options: string): string => `\`${pwshPath} -Command "Install-Module ExchangeOnlineManagement${options} -Scope CurrentUser"\``;
  const missing = `the ExchangeOnlineManagement module is not installed for ${pwshPath}`;
  const version = reportedVersion(hostMessage);
  if (version === undefined) return `${missing}: run ${install('')} (3.10 and later need PowerShell 7.6; 3.5 to 3.9.x need 7.4)`;
  const at = (major: number, minor: number): boolean => version.major > major || (version.major === major && version.minor >= minor);
  const running = `${missing} (PowerShell ${version.text})`;
  if (at(7, 6)) return `${running}: run ${install('')} (3.10 or later)`;
  if (at(7, 4)) return `${running}: run ${install(' -MaximumVersion 3.9.999')} (3.5 to 3.9.x; 3.10 and later need PowerShell 7.6)`;
  return `${running}: this PowerShell cannot load ExchangeOnlineManagement 3.5 or later: install PowerShell 7.4 or later (7.6 for module 3.10+), https://aka.ms/powershell`;
}
