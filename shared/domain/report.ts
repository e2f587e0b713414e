import { z } from 'zod';

/**
 * What a report covers. `case` is the investigation report (summary, timeline, starred events
 * with notes, actors, custody); the others are compliance reports over any time range, each a
 * search plus the columns an auditor reads for it.
 */
export const REPORT_TEMPLATES = [
  {
    id: 'case',
    title: 'Case report',
    description: 'Summary, scope, timeline, marked events with notes, actors and chain of custody.',
    search: '',
  },
  {
    id: 'user-access',
    title: 'User access',
    description: 'Who read or viewed what, and when.',
    search: 'kind:view OR category:data_access',
  },
  {
    id: 'data-changes',
    title: 'Data changes',
    description: 'Records created, modified and deleted, with before and after values.',
    search: 'category:data_change',
  },
  {
    id: 'security-events',
    title: 'Security events',
    description: 'Sign-ins and their failures, permission and credential changes.',
    search: 'category:authentication OR category:iam',
  },
  {
    id: 'export-activity',
    title: 'Export activity',
    description: 'Exports, downloads and shares of data.',
    search: 'kind:export',
  },
  {
    id: 'admin-actions',
    title: 'Administrative actions',
    description: 'Changes to identities, roles, policies and configuration.',
    search: '(category:iam OR category:configuration) -kind:view',
  },
] as const;

export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];
export const ReportTemplateId = z.enum([
  'case',
  'user-access',
  'data-changes',
  'security-events',
  'export-activity',
  'admin-actions',
]);
export type ReportTemplateId = z.infer<typeof ReportTemplateId>;

export function reportTemplate(id: ReportTemplateId): ReportTemplate {
  return REPORT_TEMPLATES.find((t) => t.id === id) as ReportTemplate;
}
