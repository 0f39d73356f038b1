/**
 * The package entry (`import { ... } from 'mailpolicy'`): the library API of src/ and the Pulumi
 * component for users' own programs (docs/pulumi.md#your-own-program). It sits above both, outside
 * src/, so src/ never imports program/ (issue 13: dependencies one way).
 */
export * from './src/index';
export { MailPolicyOrganisation, ORGANISATION_TYPE, type MailPolicyOrganisationArgs, type MailPolicyDocument } from './program/organisation';
