/** The library API of the mailpolicy package (the package entry, ../index.ts, adds the Pulumi component). */
export * from './model/types';
export { loadPolicyFile, loadPolicyText, formatProblem, type LoadResult, type Problem } from './model/load';
export { clientEndpoints, cloudEndpoints, onPremisesEndpoints, type ClientEndpoint, type ClientEncryption } from './endpoints';
export { checkDrift } from './drift/check';
export { exportOrganisation } from './export/export';
export * from './exchange/types';
export { openBackend, type BackendOptions, type PowerShellOptions, type SimulatorOptions } from './backends/open-backend';
export * from './exchange/reader';
// Each kind's read-back (its Actual* types and reader), as the package has always exported them.
export * from './reconcile/kinds/authentication-policy-read';
export * from './reconcile/kinds/cas-mailbox-plan-read';
export * from './reconcile/kinds/exchange-certificate-read';
export * from './reconcile/kinds/protocol-service-read';
export * from './reconcile/kinds/protocol-settings-read';
export * from './reconcile/kinds/receive-connector-read';
export * from './reconcile/kinds/transport-config-read';
export { CATALOG, CMDLET_NAMES, type CmdletName } from './exchange/catalog';
export { buildRequest, assertCatalogRequest, CatalogError } from './exchange/request';
export { SimulatorBackend, type SimulatorBackendOptions } from './simulator/backend';
export { newOrganisation, type NewOrganisationOptions } from './simulator/defaults';
export { planOrganisation, planResource, type ActualOrganisation } from './reconcile/planner';
export { planLive } from './reconcile/live';
export { applyChanges, DEFAULT_BATCH_SIZE, type ApplyResult } from './reconcile/executor';
export { renderPlan, PLAN_FORMATS, type PlanFormat } from './reconcile/render';
export type { Plan, Change, SettingDrift, ResourceRef } from './reconcile/plan';
export { RULES, ALL_RULE_METADATA, checkPolicy, hasViolations, versionedId, type Rule, type RuleMetadata, type RuleContext, type Finding, type CheckResult, type Outcome } from './rules';
