import { z } from 'zod';

export const TagName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s,]+$/, 'a tag is one word: no spaces or commas');

/** One change to the marks of a set of events. */
export const AnnotationChange = z
  .object({
    star: z.boolean(),
    addTag: TagName,
    removeTag: TagName,
    /** Markdown text; null removes the note. */
    note: z.string().max(20_000).nullable(),
  })
  .partial()
  .refine((change) => Object.keys(change).length === 1, 'one change at a time');
export type AnnotationChange = z.infer<typeof AnnotationChange>;

export const Tag = z.object({ name: z.string(), color: z.string(), count: z.number().int() });
export type Tag = z.infer<typeof Tag>;

/** An event's marks (events without any have none listed). */
export const EventMarks = z.object({
  seq: z.number().int(),
  starred: z.boolean(),
  note: z.string().optional(),
  tags: z.array(z.object({ name: z.string(), color: z.string() })),
});
export type EventMarks = z.infer<typeof EventMarks>;
