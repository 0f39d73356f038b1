/**
 * Errors as Exchange reports them (message, exception type, fully qualified error id, category),
 * so the layers above see from the simulator what they would see from PowerShell.
 */
import { ExchangeError, type CmdletErrorInfo } from '../exchange/types';

/** The server name Exchange Online puts into its messages. */
const ONLINE_SERVER = 'BN8PR04MB6241.namprd04.prod.outlook.com';

function info(type: string, shortId: string, cmdlet: string, category: string, message: string, transient = false): CmdletErrorInfo {
  return { message, type, fullyQualifiedErrorId: `${shortId},${cmdlet}`, category, transient };
}

export function notFound(cmdlet: string, identity: string, where = ONLINE_SERVER): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info(
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
      'ManagementObjectNotFoundException',
      cmdlet,
      'NotSpecified',
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${where}'.`,
    ),
  );
}

export function ambiguous(cmdlet: string, identity: string): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info(
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException',
      'ManagementObjectAmbiguousException',
      cmdlet,
      'NotSpecified',
      `The operation couldn't be performed because '${identity}' matches multiple entries.`,
    ),
  );
}

export function alreadyExists(cmdlet: string, name: string): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info('Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException', 'ADObjectAlreadyExistsException', cmdlet, 'NotSpecified', `The object '${name}' already exists.`),
  );
}

export function commandNotFound(cmdlet: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    type: 'System.Management.Automation.CommandNotFoundException',
    fullyQualifiedErrorId: 'CommandNotFoundException',
    category: 'ObjectNotFound',
    transient: false,
  });
}

export function parameterNotFound(cmdlet: string, parameter: string): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info(
      'System.Management.Automation.ParameterBindingException',
      'NamedParameterNotFound',
      cmdlet,
      'InvalidArgument',
      `A parameter cannot be found that matches parameter name '${parameter}'.`,
    ),
  );
}

export function missingParameter(cmdlet: string, parameter: string): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info(
      'System.Management.Automation.ParameterBindingException',
      'MissingMandatoryParameter',
      cmdlet,
      'InvalidArgument',
      `Cannot process command because of one or more missing mandatory parameters: ${parameter}.`,
    ),
  );
}

export function invalidValue(cmdlet: string, parameter: string, value: unknown, reason: string): ExchangeError {
  return new ExchangeError(
    cmdlet,
    info(
      'System.Management.Automation.ParameterBindingException',
      'ParameterArgumentTransformationError',
      cmdlet,
      'InvalidData',
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${String(value)}": ${reason}`,
    ),
  );
}

export function invalidOperation(cmdlet: string, message: string): ExchangeError {
  return new ExchangeError(cmdlet, info('Microsoft.Exchange.Configuration.Tasks.TaskInvalidOperationException', 'TaskInvalidOperationException', cmdlet, 'InvalidOperation', message));
}

export function serviceNotFound(cmdlet: string, name: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `Cannot find any service with service name '${name}'.`,
    type: 'Microsoft.PowerShell.Commands.ServiceCommandException',
    fullyQualifiedErrorId: `NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.${cmdlet.replace('-', '')}Command`,
    category: 'ObjectNotFound',
    transient: false,
  });
}

export function computerNotFound(cmdlet: string, computer: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `Connecting to remote server ${computer} failed with the following error message : WinRM cannot process the request. The computer ${computer} could not be resolved.`,
    type: 'System.Management.Automation.Remoting.PSRemotingTransportException',
    fullyQualifiedErrorId: 'ComputerNotFound,PSSessionStateBroken',
    category: 'OpenError',
    transient: false,
  });
}

export function serviceCannotStart(cmdlet: string, name: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `Service '${name} (${name})' cannot be started due to the following error: Cannot start service '${name}' on computer '.'. The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.`,
    type: 'Microsoft.PowerShell.Commands.ServiceCommandException',
    fullyQualifiedErrorId: `CouldNotStartService,Microsoft.PowerShell.Commands.${cmdlet.replace('-', '')}Command`,
    category: 'OpenError',
    transient: false,
  });
}

/** What the fault injector raises. Messages follow Exchange Online's throttling and token errors. */
export function injectedFault(cmdlet: string, kind: 'transient' | 'throttle' | 'tokenExpired' | 'permanent', message?: string): ExchangeError {
  switch (kind) {
    case 'transient':
      return new ExchangeError(cmdlet, {
        message: message ?? 'The server is busy. Try again later.',
        type: 'Microsoft.Exchange.Data.Storage.TransientException',
        fullyQualifiedErrorId: `TransientException,${cmdlet}`,
        category: 'ResourceUnavailable',
        transient: true,
      });
    case 'throttle':
      return new ExchangeError(cmdlet, {
        message: message ?? 'The remote server returned an error: (429) Too Many Requests.',
        type: 'System.Net.WebException',
        fullyQualifiedErrorId: `ServerBusy,${cmdlet}`,
        category: 'LimitsExceeded',
        transient: true,
      });
    case 'tokenExpired':
      return new ExchangeError(cmdlet, {
        message: message ?? 'UnAuthorized: the access token has expired. Please connect again.',
        type: 'System.UnauthorizedAccessException',
        fullyQualifiedErrorId: `TokenExpired,${cmdlet}`,
        category: 'AuthenticationError',
        transient: false,
      });
    case 'permanent':
      return new ExchangeError(
        cmdlet,
        info('Microsoft.Exchange.Configuration.Tasks.TaskException', 'TaskException', cmdlet, 'NotSpecified', message ?? 'The operation failed (injected fault).'),
      );
  }
}

/**
 * A cmdlet beyond the throttling budget: HTTP 429 with a retry-after. The wording joins what is
 * public: "(429) Too Many Requests" as the REST module surfaces HTTP errors, the budget named
 * as Exchange names it in its MaxConcurrency refusal ("exceeded the maximum number of
 * connections allowed : 3 for the policy party : MaxConcurrency", Microsoft365DSC #359), and
 * the Retry-After a 429 carries (Microsoft Graph's throttling guidance). The exact text of an
 * Exchange Online REST 429 is unverified.
 */
export function budgetExceeded(cmdlet: string, limit: number, retryAfterSeconds: number): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `The remote server returned an error: (429) Too Many Requests. You have exceeded the maximum number of concurrent requests allowed : ${limit} for the policy party : MaxConcurrency. Retry-After: ${retryAfterSeconds}`,
    type: 'System.Net.WebException',
    fullyQualifiedErrorId: `ServerBusy,${cmdlet}`,
    category: 'LimitsExceeded',
    transient: true,
  });
}
