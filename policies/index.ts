/**
 * Entry point of the CrossGuard pack (policies/package.json `main` points at its compiled form):
 * serves the policies over the Analyzer protocol. Import definitions.ts instead to use the
 * policies without starting a server.
 */
import { PolicyPack } from '@pulumi/policy';
import { PACK_ARGS, PACK_NAME } from './definitions';

new PolicyPack(PACK_NAME, PACK_ARGS);
