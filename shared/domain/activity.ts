import { z } from 'zod';
import { ACTIVITY_KINDS } from '../lib/activity-kind.ts';

const Count = z.number().int();

/** One actor's (or IP's, session's) activity within a search: the per-user summary. */
export const ActivitySummary = z.object({
  value: z.string(),
  events: Count,
  failures: Count,
  /** Epoch µs of the first and last event. */
  first: z.number().int(),
  last: z.number().int(),
  ips: Count,
  kinds: z.record(z.enum(ACTIVITY_KINDS), Count),
});
export type ActivitySummary = z.infer<typeof ActivitySummary>;

/** Who the summaries and journeys are per: actors, source IPs or sessions. */
export const JOURNEY_FIELDS = ['actor', 'ip', 'sessionId'] as const;
export const JourneyField = z.enum(JOURNEY_FIELDS);
export type JourneyField = z.infer<typeof JourneyField>;

/** A stretch of one entity's activity: a session (its id) or a burst of events without long gaps. */
export const JourneySpan = z.object({
  start: z.number().int(),
  end: z.number().int(),
  events: Count,
  failures: Count,
  session: z.string().optional(),
  /** The first event of the span, to open. */
  seq: Count,
});
/** An event worth a mark on the lane: a failure, or a sensitive action (identity, configuration, deletion, export). */
export const JourneyMark = z.object({
  seq: Count,
  time: z.number().int(),
  action: z.string(),
  kind: z.enum(['failure', 'sensitive']),
});
export const JourneyLane = z.object({
  value: z.string(),
  events: Count,
  spans: z.array(JourneySpan),
  marks: z.array(JourneyMark),
  /** True when the lane had more spans or marks than are returned. */
  truncated: z.boolean(),
});
export type JourneyLane = z.infer<typeof JourneyLane>;
