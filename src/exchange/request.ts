/**
 * Building requests from the cmdlet catalog (catalog.ts): the only way a request is made, and
 * the check a request from elsewhere (host protocol, simulator) passes. Parameters are given by
 * model key or Exchange name and must be catalog entries with values of the right type.
 */
import type { CmdletRequest, JsonValue } from './types';
import { CATALOG, isCmdletName, modelKey, type CmdletName, type CmdletSpec, type ParameterSpec, type ValueType } from './catalog';
import { isRecord } from './is-record';

/** What a CatalogError is about, so callers (the simulator's Exchange-like errors) need not parse its message. */
export type CatalogErrorReason =
  /** The cmdlet is not in the catalog. */
  | 'unknown-cmdlet'
  /** The cmdlet has no catalog parameter of that name. */
  | 'unknown-parameter'
  /** A parameter's value is not of the parameter's type. */
  | 'bad-value'
  /** A read returned something other than objects, or the cmdlet returns nothing mailpolicy reads. */
  | 'bad-result'
  /** A Windows service cmdlet without the server it runs on, or another cmdlet given one. */
  | 'bad-target'
  /** A read asked for a property its cmdlet's `optionalReturns` does not list. */
  | 'unknown-property';

export interface CatalogErrorDetails {
  readonly reason: CatalogErrorReason;
  readonly cmdlet: string;
  /** The parameter as given (model key or Exchange name); the Exchange name for `bad-value`. */
  readonly parameter?: string;
  /** The rejected value (`bad-value`); left out for a secret parameter. */
  readonly value?: JsonValue;
  /** What the parameter takes (`bad-value`), e.g. `a boolean`. */
  readonly expected?: string;
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly reason: CatalogErrorReason;
  readonly cmdlet: string;
  readonly parameter: string | undefined;
  readonly value: JsonValue | undefined;
  readonly expected: string | undefined;

  constructor(message: string, details: CatalogErrorDetails) {
    super(message);
    this.reason = details.reason;
    this.cmdlet = details.cmdlet;
    this.parameter = details.parameter;
    this.value = details.value;
    this.expected = details.expected;
  }
}

function notInCatalog(cmdlet: string): CatalogError {
  return new CatalogError(`${cmdlet} is not in the cmdlet catalog`, { reason: 'unknown-cmdlet', cmdlet });
}

function noSuchParameter(cmdlet: string, parameter: string): CatalogError {
  return new CatalogError(`${cmdlet} has no catalog parameter ${parameter}`, { reason: 'unknown-parameter', cmdlet, parameter });
}

/** Per cmdlet: each parameter under its model key and its Exchange name, built once (buildRequest runs once per mailbox). */
const parameterIndex = new Map<CmdletName, ReadonlyMap<string, CatalogParameter>>();

export interface CatalogParameter {
  /** The Exchange parameter name, e.g. `SSLBindings`. */
  readonly name: string;
  readonly spec: ParameterSpec;
}

/**
 * The catalog parameter of a cmdlet that a model key (`sslBindings`) or an Exchange name
 * (`SSLBindings`) stands for: the one mapping between model and cmdlet.
 */
export function parameterSpec(cmdlet: CmdletName, key: string): CatalogParameter {
  let index = parameterIndex.get(cmdlet);
  if (!index) {
    const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
    const built = new Map<string, CatalogParameter>();
    for (const [name, spec] of Object.entries(parameters)) {
      built.set(modelKey(name), { name, spec });
      built.set(name, { name, spec });
    }
    parameterIndex.set(cmdlet, built);
    index = built;
  }
  const found = index.get(key);
  if (!found) throw noSuchParameter(cmdlet, key);
  return found;
}

function checkValue(cmdlet: string, name: string, spec: ParameterSpec, value: JsonValue): void {
  const fail = (expected: string): never => {
    throw new CatalogError(`${cmdlet} -${name}: expected ${expected}`, { reason: 'bad-value', cmdlet, parameter: name, value: isSecretType(spec.type) ? undefined : value, expected });
  };
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'nullableBoolean':
      if (value !== null && typeof value !== 'boolean') fail('a boolean or null');
      return;
    case 'switch':
      if (value !== true) fail('true (a switch)');
      return;
    case 'string':
    case 'secret':
    case 'timespan':
    case 'byteQuantity':
      if (typeof value !== 'string') fail('a string');
      return;
    case 'nullableString':
      if (value !== null && typeof value !== 'string') fail('a string or null');
      return;
    case 'dateTime':
      // ISO 8601 in UTC only: the one form PowerShell binds to a DateTime the same on every host culture.
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) || Number.isNaN(Date.parse(value))) fail('an ISO 8601 UTC date-time (2026-12-06T12:00:00Z)');
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
      return;
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) fail(`one of ${(spec.values ?? []).join(', ')}`);
      return;
    case 'flags':
      // A flags enum: at least one of its names (Exchange takes the combination).
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && (spec.values ?? []).includes(v))) fail(`a list of ${(spec.values ?? []).join(', ')}`);
      return;
    case 'credential':
      if (!isRecord(value) || Object.keys(value).sort().join(',') !== 'Password,UserName' || typeof value.UserName !== 'string' || value.UserName === '' || typeof value.Password !== 'string') {
        fail('an object {UserName, Password}');
      }
      return;
    case 'stringList':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail('a list of strings');
      return;
    case 'endpointList':
    case 'bindingList':
      // `$null` is the blank value that clears the list (Set-PopSettings / Set-ImapSettings reference).
      if (value !== null && (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))) fail('a list of strings or null');
      return;
  }
}

/**
 * The only way to build a request: parameters are given by model key (or Exchange name) and
 * must be catalog entries of that cmdlet with values of the right type.
 */
export function buildRequest(cmdlet: CmdletName, parameters: Readonly<Record<string, JsonValue | undefined>> = {}, computerName?: string): CmdletRequest {
  if (!isCmdletName(cmdlet)) throw notInCatalog(String(cmdlet));
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    const { name, spec } = parameterSpec(cmdlet, key);
    checkValue(cmdlet, name, spec, value);
    out[name] = value;
  }
  checkComputerName(cmdlet, computerName);
  return Object.freeze({ cmdlet, parameters: Object.freeze(out), ...(computerName === undefined ? {} : { computerName }) });
}

/** A Windows service cmdlet names the server it runs on; no other cmdlet does. */
function checkComputerName(cmdlet: CmdletName, computerName: unknown): void {
  const remote = (CATALOG[cmdlet] as CmdletSpec).remoteService === true;
  if (remote && (typeof computerName !== 'string' || computerName.length === 0)) {
    throw new CatalogError(`${cmdlet} runs on an Exchange server: the request must name it (computerName)`, { reason: 'bad-target', cmdlet });
  }
  if (!remote && computerName !== undefined) {
    throw new CatalogError(`${cmdlet} does not run through Invoke-Command: the request cannot name a computer`, { reason: 'bad-target', cmdlet });
  }
}

/**
 * A read request that also asks for some of its cmdlet's optional properties (`optionalReturns`),
 * by Exchange name: what the host and the simulator shape besides the cmdlet's `returns`.
 * None asked: the request as it was.
 */
export function withProperties(request: CmdletRequest, properties: readonly string[]): CmdletRequest {
  if (properties.length === 0) return request;
  if (!isCmdletName(request.cmdlet)) throw notInCatalog(request.cmdlet);
  checkProperties(request.cmdlet, properties);
  return Object.freeze({ ...request, properties: Object.freeze([...properties]) });
}

function checkProperties(cmdlet: CmdletName, properties: readonly string[] | undefined): void {
  if (properties === undefined) return;
  const optional: Readonly<Record<string, ParameterSpec>> = (CATALOG[cmdlet] as CmdletSpec).optionalReturns ?? {};
  for (const name of properties) {
    if (!Object.prototype.hasOwnProperty.call(optional, name)) {
      throw new CatalogError(`${cmdlet} has no optional property ${name}`, { reason: 'unknown-property', cmdlet, parameter: name });
    }
  }
}

/** Checks a request received from elsewhere (host protocol, simulator) against the catalog. */
export function assertCatalogRequest(request: CmdletRequest): asserts request is CmdletRequest & { cmdlet: CmdletName } {
  if (!isCmdletName(request.cmdlet)) throw notInCatalog(request.cmdlet);
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[request.cmdlet].parameters;
  for (const [name, value] of Object.entries(request.parameters)) {
    const spec = parameters[name];
    if (!spec) throw noSuchParameter(request.cmdlet, name);
    checkValue(request.cmdlet, name, spec, value);
  }
  checkComputerName(request.cmdlet, request.computerName);
  checkProperties(request.cmdlet, request.properties);
}

/** Names of the secret parameters of a cmdlet (for redaction). */
export function secretParameters(cmdlet: CmdletName): string[] {
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
  return Object.entries(parameters)
    .filter(([, spec]) => isSecretType(spec.type))
    .map(([name]) => name);
}

/** Types whose whole value is secret: a password or token, or a credential (whose password is). */
function isSecretType(type: ValueType): boolean {
  return type === 'secret' || type === 'credential';
}
