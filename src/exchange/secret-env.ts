/**
 * Environment variables that carry secrets, and the environment the PowerShell child gets
 * without them. The child needs none of them: mailpolicy's own secrets travel to it in the
 * connect request on stdin, and nothing it runs (pwsh, ExchangeOnlineManagement, a remote
 * session) has any use for Pulumi's or a CI system's credentials. Kept free of heavy imports:
 * the CLI's option definitions read the names below for --help.
 */

/** The certificate password the CLI reads (never argv: every process on the machine can read that). */
export const CERTIFICATE_PASSWORD_ENV = 'MAILPOLICY_CERTIFICATE_PASSWORD';
/** The OAuth access token the CLI reads. */
export const ACCESS_TOKEN_ENV = 'MAILPOLICY_ACCESS_TOKEN';
/** The password of --remoting-user (Exchange Server) the CLI reads. */
export const REMOTING_PASSWORD_ENV = 'MAILPOLICY_REMOTING_PASSWORD';

/**
 * Removed from the child's environment by name. Besides mailpolicy's own: Pulumi's passphrase
 * (and its file), which decrypts every secret of the stack; the Pulumi Cloud token; PULUMI_CONFIG,
 * in which a Pulumi program receives its config, decrypted secrets included; and the job tokens
 * of the CI systems the pipeline templates target (GitHub Actions, Azure Pipelines).
 */
export const SECRET_ENVIRONMENT_VARIABLES: readonly string[] = [
  ACCESS_TOKEN_ENV,
  CERTIFICATE_PASSWORD_ENV,
  REMOTING_PASSWORD_ENV,
  'PULUMI_CONFIG_PASSPHRASE',
  'PULUMI_CONFIG_PASSPHRASE_FILE',
  'PULUMI_ACCESS_TOKEN',
  'PULUMI_CONFIG',
  'GITHUB_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'SYSTEM_ACCESSTOKEN',
];

const SECRET_NAMES = new Set(SECRET_ENVIRONMENT_VARIABLES.map((name) => name.toUpperCase()));

/**
 * `base` and `extra` merged, without the variables named above (in any case: Windows names are
 * case-insensitive) and without any variable whose value contains one of `secrets` (a copy of
 * the token under another name).
 */
export function childEnvironment(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...base, ...extra })) {
    if (value === undefined || SECRET_NAMES.has(name.toUpperCase())) continue;
    if (secrets.some((secret) => secret !== '' && value.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}
