import { z } from 'zod';

/** Names of things a person types: datasets, runs, templates. */
export const Name = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(100, 'Names are at most 100 characters')
  .regex(/^[\p{L}\p{N}_.\- ]+$/u, 'Use letters, digits, spaces, dot, dash or underscore');

export const ErrorPayload = z.object({
  message: z.string(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  hint: z.string().nullable(),
  code: z.string(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
