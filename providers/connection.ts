/**
 * One backend per organisation per provider process, opened on first use and reused by every
 * resource and every call: Exchange Online allows few concurrent PowerShell sessions, and a
 * session costs seconds to open. Every handler gets its backend here, and only once the
 * organisation it is connected to is verified to be the target's (verifyTarget: platform, cloud,
 * accepted domain, read from Exchange; remembered per backend), so no read or write reaches
 * another organisation.
 *
 * Every call goes through the lifeline (providers/lifeline.ts): once the engine has gone away or
 * cancelled the run, no call starts, and the open backends are closed, which abandons the calls
 * in flight (the PowerShell host is ended; a hanging simulated call fails).
 */
import { openBackend } from '../src/backends/open-backend';
import type { ExchangeBackend } from '../src/exchange/types';
import { verifyTarget } from '../src/exchange/verify-target';
import type { Target } from '../src/model/types';
import { guarded, onStop } from './lifeline';
import type { ProviderSettings } from './settings';

const open = new Map<string, ExchangeBackend>();

onStop(() => {
  const backends = [...open.values()];
  open.clear();
  for (const backend of backends) void backend.close().catch(() => undefined);
});

/** `backend`, with every call refused once the provider has stopped. */
function throughLifeline(backend: ExchangeBackend): ExchangeBackend {
  return {
    kind: backend.kind,
    describe: () => backend.describe(),
    connection: () => guarded(() => backend.connection()),
    invoke: (request, options) => guarded(() => backend.invoke(request, options)),
    invokeBatch: (requests) => guarded(() => backend.invokeBatch(requests)),
    stats: () => backend.stats(),
    close: () => backend.close(),
    ...lanesThroughLifeline(backend),
  };
}

/** The backend's lanes, each behind the lifeline too. */
function lanesThroughLifeline(backend: ExchangeBackend): Pick<ExchangeBackend, 'openLane'> {
  const openLane = backend.openLane?.bind(backend);
  return openLane ? { openLane: () => throughLifeline(openLane()) } : {};
}

export async function backendFor(settings: ProviderSettings, target: Target): Promise<ExchangeBackend> {
  const key = settings.backend === 'simulator' ? `simulator:${settings.simulatorState}` : `powershell:${target.platform}:${target.organization.toLowerCase()}`;
  let backend = open.get(key);
  if (!backend) {
    const callTimeout = settings.callTimeoutSeconds === undefined ? {} : { callTimeoutMs: settings.callTimeoutSeconds * 1000 };
    backend = throughLifeline(
      settings.backend === 'simulator'
        ? openBackend({ kind: 'simulator', statePath: settings.simulatorState, ...callTimeout })
        : openBackend({
            kind: 'powershell',
            platform: target.platform,
            ...(target.cloud === undefined ? {} : { cloud: target.cloud }),
            organization: target.organization,
            ...(settings.pwshPath === undefined ? {} : { pwshPath: settings.pwshPath }),
            ...(settings.appId === undefined ? {} : { appId: settings.appId }),
            ...(settings.certificateFile === undefined ? {} : { certificateFilePath: settings.certificateFile }),
            ...(settings.certificatePassword === undefined ? {} : { certificatePassword: settings.certificatePassword }),
            ...(settings.managedIdentity === true ? { managedIdentity: true } : {}),
            ...(settings.connectionUri === undefined ? {} : { connectionUri: settings.connectionUri }),
            ...(settings.authentication === undefined ? {} : { authentication: settings.authentication }),
            ...(settings.remotingUser === undefined ? {} : { remotingUser: settings.remotingUser }),
            ...(settings.remotingPassword === undefined ? {} : { remotingPassword: settings.remotingPassword }),
            ...callTimeout,
          }),
    );
    open.set(key, backend);
  }
  await verifyTarget(backend, target);
  return backend;
}
