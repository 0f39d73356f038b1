/**
 * The crosswalk: which controls of the baselines compliance teams answer to each rule
 * implements or relates to — CIS Microsoft 365 Foundations, CISA's SCuBA baselines (as
 * ScubaGear checks them) and Maester's tests — with where each ID and title was confirmed.
 *
 * One table for every rule (test/rules/crosswalk.test.ts fails when a rule has no entry, so a
 * new rule cannot be left out by accident), kept apart from the rule files so that a compliance reviewer reads the whole
 * mapping in one place. An empty list is a real answer: none of these baselines has a control
 * for what the rule checks (legacy TLS, POP3/IMAP4 exposure, on-premises services, mailpolicy's
 * own waivers); the rule's doc page says so.
 */

export type FrameworkId = 'cis' | 'scubagear' | 'maester';

export interface Framework {
  readonly name: string;
  /** How reports name it before a control ID: `CIS M365 6.5.4`. */
  readonly shortName: string;
  /** The version the crosswalk was made against, where the framework numbers its versions as a whole. */
  readonly version?: string;
  readonly organization: string;
  readonly informationUri: string;
}

export const FRAMEWORKS: Readonly<Record<FrameworkId, Framework>> = {
  cis: {
    name: 'CIS Microsoft 365 Foundations Benchmark',
    shortName: 'CIS M365',
    version: '4.0.0',
    organization: 'Center for Internet Security',
    informationUri: 'https://www.cisecurity.org/benchmark/microsoft_365',
  },
  scubagear: {
    name: 'CISA SCuBA baselines (ScubaGear)',
    shortName: 'ScubaGear',
    organization: 'Cybersecurity and Infrastructure Security Agency',
    informationUri: 'https://github.com/cisagov/ScubaGear',
  },
  maester: {
    name: 'Maester',
    shortName: 'Maester',
    organization: 'Maester',
    informationUri: 'https://maester.dev',
  },
};

export const FRAMEWORK_IDS: readonly FrameworkId[] = ['cis', 'scubagear', 'maester'];

/** implements: a finding of the rule is a failure of the control. relatesTo: the rule covers part of what the control is about, or a neighbouring setting. */
export type ControlRelationship = 'implements' | 'relatesTo';

export interface ControlSource {
  readonly title: string;
  readonly url: string;
  /** false: the ID and title could not be checked against the framework's own text. */
  readonly verified: boolean;
}

export interface ControlMapping {
  readonly framework: FrameworkId;
  /** The control's ID as the framework writes it: `6.5.4`, `MS.EXO.5.1v1`, `CISA.MS.EXO.5.1`. */
  readonly id: string;
  readonly title: string;
  readonly relationship: ControlRelationship;
  /** Maester: the page of the PowerShell test function (its name is the page's last segment; see testName). */
  readonly testUrl?: string;
  /** Why the relationship holds, for `relatesTo`. */
  readonly note?: string;
  readonly source: ControlSource;
}

export interface RuleCrosswalk {
  readonly controls: readonly ControlMapping[];
  /** For an empty list: why no control applies (reports and docs write it after "None: "). */
  readonly none?: string;
}

// ---- the controls, each written once ----

const SOURCES = {
  // CIS's benchmark text is licensed; the ID, level and title are as third-party implementations of
  // CIS Microsoft 365 Foundations v4.0.0 state them (365Inspect-style inspectors, CIS_METADATA blocks).
  cis: {
    title: 'CIS Microsoft 365 Foundations Benchmark v4.0.0 (ID and title as public implementations of it cite them; the benchmark text itself was not checked)',
    url: 'https://www.cisecurity.org/benchmark/microsoft_365',
    verified: false,
  },
  scubaExo: { title: 'CISA ScubaGear, Exchange Online baseline (baselines/exo.md) and its Rego tests', url: 'https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/exo.md', verified: true },
  scubaAad: { title: 'CISA ScubaGear, Microsoft Entra ID baseline (baselines/aad.md)', url: 'https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md', verified: true },
  maesterSmtp: { title: 'Maester test Test-MtCisaSmtpAuthentication (tests/cisa/exchange)', url: 'https://github.com/maester365/maester/blob/main/tests/cisa/exchange/Test-MtCisaSmtpAuthentication.Tests.ps1', verified: true },
  maesterLegacyAuth: { title: 'Maester test Test-MtCisaBlockLegacyAuth (CISA.MS.AAD.1.1)', url: 'https://maester.dev/docs/commands/Test-MtCisaBlockLegacyAuth', verified: true },
} as const satisfies Record<string, ControlSource>;

type Control = Omit<ControlMapping, 'relationship' | 'note'>;

const CONTROLS = {
  cisSmtpAuth: { framework: 'cis', id: '6.5.4', title: '(L1) Ensure SMTP AUTH is disabled', source: SOURCES.cis },
  cisLegacyAuth: { framework: 'cis', id: '5.2.2.3', title: '(L1) Enable Conditional Access policies to block legacy authentication', source: SOURCES.cis },
  scubaSmtpAuth: { framework: 'scubagear', id: 'MS.EXO.5.1v1', title: 'SMTP AUTH SHALL be disabled.', source: SOURCES.scubaExo },
  scubaLegacyAuth: { framework: 'scubagear', id: 'MS.AAD.1.1v1', title: 'Legacy authentication SHALL be blocked.', source: SOURCES.scubaAad },
  maesterSmtpAuth: { framework: 'maester', id: 'CISA.MS.EXO.5.1', title: 'SMTP AUTH SHALL be disabled.', testUrl: 'https://maester.dev/docs/commands/Test-MtCisaSmtpAuthentication', source: SOURCES.maesterSmtp },
  maesterLegacyAuth: { framework: 'maester', id: 'CISA.MS.AAD.1.1', title: 'Legacy authentication SHALL be blocked.', testUrl: 'https://maester.dev/docs/commands/Test-MtCisaBlockLegacyAuth', source: SOURCES.maesterLegacyAuth },
} as const satisfies Record<string, Control>;

const implementsControl = (c: Control): ControlMapping => ({ ...c, relationship: 'implements' });
const relatesTo = (c: Control, note: string): ControlMapping => ({ ...c, relationship: 'relatesTo', note });

const LEGACY_AUTH_NOTE =
  'blocking legacy (Basic) authentication is a Conditional Access control in Entra ID; an Exchange authentication policy that allows Basic authentication for POP3, IMAP4 or SMTP is what it aims to stop, on the Exchange side';
const NO_BASELINE_TLS = 'CIS M365 Foundations, the SCuBA baselines and Maester have no control for legacy TLS (1.0/1.1) endpoints of Exchange Online';
const NO_BASELINE_POP_IMAP = 'CIS M365 Foundations, the SCuBA baselines and Maester have no control for POP3/IMAP4 access per mailbox or plan';
const NO_BASELINE_ON_PREMISES = 'these baselines cover Microsoft 365, not Exchange Server on-premises';
const NO_BASELINE_OWN = "the finding is about mailpolicy's own documents (waivers, documents sharing an organisation), not the organisation's configuration";

export const CROSSWALK = {
  'MP-EXO-001': { controls: [], none: NO_BASELINE_TLS },
  'MP-EXO-002': { controls: [], none: NO_BASELINE_TLS },
  'MP-EXO-003': { controls: [implementsControl(CONTROLS.cisSmtpAuth), implementsControl(CONTROLS.scubaSmtpAuth), implementsControl(CONTROLS.maesterSmtpAuth)] },
  'MP-EXO-004': {
    controls: [
      relatesTo(CONTROLS.cisSmtpAuth, 'CIS checks the organisation-wide setting and allows per-mailbox overrides for special cases; each override this rule reports re-opens SMTP AUTH for one mailbox'),
      relatesTo(CONTROLS.scubaSmtpAuth, 'ScubaGear checks the organisation-wide setting only; a per-mailbox exception re-opens SMTP AUTH for that mailbox'),
      relatesTo(CONTROLS.maesterSmtpAuth, 'Maester reads Get-TransportConfig only; per-mailbox exceptions are not seen by it'),
    ],
  },
  'MP-EXO-005': { controls: [], none: NO_BASELINE_POP_IMAP },
  'MP-EXO-006': {
    controls: [relatesTo(CONTROLS.scubaLegacyAuth, LEGACY_AUTH_NOTE), relatesTo(CONTROLS.cisLegacyAuth, LEGACY_AUTH_NOTE), relatesTo(CONTROLS.maesterLegacyAuth, LEGACY_AUTH_NOTE)],
  },
  'MP-EXO-007': { controls: [], none: NO_BASELINE_TLS },
  'MP-MBX-001': { controls: [], none: NO_BASELINE_POP_IMAP },
  'MP-SRV-001': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-002': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-004': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-005': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-006': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-CRT-001': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-CRT-002': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-007': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-008': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-SRV-009': { controls: [], none: NO_BASELINE_ON_PREMISES },
  'MP-ORG-001': { controls: [], none: NO_BASELINE_OWN },
  'MP-WVR-001': { controls: [], none: NO_BASELINE_OWN },
  'MP-WVR-002': { controls: [], none: NO_BASELINE_OWN },
  'MP-WVR-003': { controls: [], none: NO_BASELINE_OWN },
  'MP-WVR-004': { controls: [], none: NO_BASELINE_OWN },
  'MP-WVR-005': { controls: [], none: NO_BASELINE_OWN },
} as const satisfies Record<string, RuleCrosswalk>;

const EMPTY: RuleCrosswalk = { controls: [], none: 'not mapped' };

/** The crosswalk of one rule (an unknown ID has none). */
export function crosswalkOf(ruleId: string): RuleCrosswalk {
  return (CROSSWALK as Readonly<Record<string, RuleCrosswalk>>)[ruleId] ?? EMPTY;
}

/** Maester's test function for the control (e.g. Test-MtCisaSmtpAuthentication), from its page's address. */
export function testName(c: Pick<ControlMapping, 'testUrl'>): string | undefined {
  return c.testUrl?.split('/').pop();
}

/** `CIS M365 6.5.4`: the framework's short name and the control ID. */
export function controlLabel(c: Pick<ControlMapping, 'framework' | 'id'>): string {
  return `${FRAMEWORKS[c.framework].shortName} ${c.id}`;
}

/** Every control the crosswalk names, once each. */
export function allControls(): ControlMapping[] {
  const seen = new Map<string, ControlMapping>();
  for (const entry of Object.values(CROSSWALK) as RuleCrosswalk[]) for (const c of entry.controls) if (!seen.has(`${c.framework}|${c.id}`)) seen.set(`${c.framework}|${c.id}`, c);
  return [...seen.values()];
}

/** Does `query` (`6.5.4`, `ms.exo.5.1`, `MS.EXO.5.1v1`, `CISA.MS.EXO.5.1`) name this control? A version suffix may be left out. */
export function controlMatches(c: Pick<ControlMapping, 'id'>, query: string): boolean {
  const q = query.trim().toUpperCase();
  const id = c.id.toUpperCase();
  return q === id || q === id.replace(/V\d+$/, '');
}

/** `implements CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1; relates to …` for reports; undefined when the rule maps to none. */
export function controlsSummary(ruleId: string): string | undefined {
  const { controls } = crosswalkOf(ruleId);
  const part = (relationship: ControlRelationship, words: string): string[] => {
    const named = controls.filter((c) => c.relationship === relationship).map(controlLabel);
    return named.length ? [`${words} ${named.join(', ')}`] : [];
  };
  const parts = [...part('implements', 'implements'), ...part('relatesTo', 'relates to')];
  return parts.length ? parts.join('; ') : undefined;
}
