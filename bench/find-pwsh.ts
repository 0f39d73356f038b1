/**
 * The PowerShell the real-PowerShell tier (test/pwsh) and the pwsh-host benchmark run:
 * $MAILPOLICY_PWSH, else `pwsh` on PATH, at least 7.4 (what the host requires). Without one they
 * fail with this message; the tier never skips.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const MINIMUM_VERSION = [7, 4] as const;

export const WHERE_TO_GET_PWSH =
  'install PowerShell 7.4 or later (https://learn.microsoft.com/powershell/scripting/install/installing-powershell) and put pwsh on PATH, or set MAILPOLICY_PWSH to its path; ' +
  'in this project\'s CI layout it is ../shared/tools/pwsh/pwsh (see its README; .ci/run puts that folder on PATH)';

export class PwshNotFoundError extends Error {
  override readonly name = 'PwshNotFoundError';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The pwsh to use under `env`, or a PwshNotFoundError saying where to get one. */
export function findPwsh(env: NodeJS.ProcessEnv = process.env, who = 'The real-PowerShell tier'): string {
  const given = env.MAILPOLICY_PWSH;
  if (given !== undefined && given !== '') {
    if (!executable(given)) throw new PwshNotFoundError(`${who} needs PowerShell: MAILPOLICY_PWSH is '${given}', which is not an executable file; ${WHERE_TO_GET_PWSH}.`);
    return given;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'pwsh');
    if (executable(candidate)) return candidate;
  }
  throw new PwshNotFoundError(`${who} needs PowerShell 7.4 or later and found none (no MAILPOLICY_PWSH, no pwsh on PATH): ${WHERE_TO_GET_PWSH}.`);
}

/** `7.6.10`, refusing anything older than 7.4. */
export function pwshVersion(pwsh: string, who = 'The real-PowerShell tier'): string {
  const version = execFileSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8', timeout: 60_000 }).trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
    throw new PwshNotFoundError(`${who} needs PowerShell 7.4 or later; ${pwsh} is ${version}: ${WHERE_TO_GET_PWSH}.`);
  }
  return version;
}
