/** The format normalizers, in detection priority order (the generic fallback last). */
import type { ContainerKind, FormatId, Normalizer } from '../types.ts';
import { cloudtrailNormalizer } from './cloudtrail.ts';
import { oktaNormalizer } from './okta.ts';
import { githubNormalizer } from './github.ts';
import { k8sAuditNormalizer } from './k8s-audit.ts';
import { azureEntraNormalizer } from './azure-entra.ts';
import { googleWorkspaceNormalizer } from './google-workspace.ts';
import { genericNormalizer } from './generic.ts';
import { auomsSyslogNormalizer, linuxAuditdNormalizer } from './linux-auditd.ts';

export { createGenericNormalizer } from './generic.ts';
export type { GenericMapping, GenericField } from './generic.ts';

/**
 * Every normalizer, most specific first. Sniffing scores them all and takes the best; on a tie
 * the earlier one wins, which is why `generic` (a flat 0.1 for any object) comes last.
 */
export const NORMALIZERS: readonly Normalizer[] = [
  cloudtrailNormalizer,
  oktaNormalizer,
  githubNormalizer,
  k8sAuditNormalizer,
  azureEntraNormalizer,
  googleWorkspaceNormalizer,
  // Raw audit.log text is recognized by its container; JSON rows carrying auditd text (auoms) by content.
  auomsSyslogNormalizer,
  genericNormalizer,
];

/**
 * The normalizer for a format id read from a container: `linux.auditd` has two, one for raw
 * audit.log text and one for JSON rows that carry it.
 */
export function normalizerFor(format: FormatId, container?: ContainerKind): Normalizer | undefined {
  if (format === 'linux.auditd')
    return container === 'auditd' || container === undefined ? linuxAuditdNormalizer : auomsSyslogNormalizer;
  return NORMALIZERS.find((n) => n.format === format);
}
