/**
 * The combination rules of a receive connector's authentication mechanisms, as
 * Set-ReceiveConnector.md (MicrosoftDocs/office-docs-powershell, -AuthMechanism) states them:
 * "You can only use the value None by itself"; "BasicAuthRequireTLS also requires the values
 * BasicAuth and Tls"; "The only other value that you can use with ExternalAuthoritative is Tls";
 * "The value Tls is required when the value of the RequireTLS parameter is $true". One source for
 * `validate` (src/model/semantic-checks.ts) and the simulator, which refuses what Exchange refuses.
 */
import { includesIgnoringCase } from '../text/case';

export interface AuthMechanismProblem {
  /** The setting the problem is reported at. */
  readonly key: 'authMechanism' | 'requireTLS';
  readonly message: string;
}

/** Every rule `mechanisms` (with `requireTLS`, when known) breaks; empty when Exchange accepts the combination. */
export function authMechanismProblems(mechanisms: readonly string[], requireTLS: boolean | undefined): AuthMechanismProblem[] {
  const problems: AuthMechanismProblem[] = [];
  const unique = [...new Set(mechanisms.map((m) => m.toLowerCase()))];
  if (includesIgnoringCase(mechanisms, 'None') && unique.length > 1) problems.push({ key: 'authMechanism', message: 'None can only be used by itself' });
  if (includesIgnoringCase(mechanisms, 'BasicAuthRequireTLS') && !(includesIgnoringCase(mechanisms, 'BasicAuth') && includesIgnoringCase(mechanisms, 'Tls'))) {
    problems.push({ key: 'authMechanism', message: 'BasicAuthRequireTLS also requires BasicAuth and Tls' });
  }
  if (includesIgnoringCase(mechanisms, 'ExternalAuthoritative') && unique.some((m) => m !== 'externalauthoritative' && m !== 'tls')) {
    problems.push({ key: 'authMechanism', message: 'the only other value that can be used with ExternalAuthoritative is Tls' });
  }
  if (requireTLS === true && !includesIgnoringCase(mechanisms, 'Tls')) problems.push({ key: 'requireTLS', message: 'requireTLS true requires Tls in authMechanism' });
  return problems;
}
