import { TrainSettings } from '../../../preload/contract';

export type FieldKind = 'int' | 'number' | 'enum' | 'text' | 'list' | 'space';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  description: string;
  options?: string[];
  min?: number;
  max?: number;
}

interface ZodLike {
  description?: string;
  options?: string[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  _zod?: { def?: { type?: string; innerType?: ZodLike } };
}

/** Each TrainSettings field with its kind, bounds and description (the tooltip), read from the contract's schema. */
export function trainFields(): FieldSpec[] {
  return Object.entries(TrainSettings.shape as unknown as Record<string, ZodLike>).map(([key, outer]) => {
    let t: ZodLike | undefined = outer;
    let description = outer.description ?? '';
    const types: string[] = [];
    while (t) {
      types.push(t._zod?.def?.type ?? '');
      if (!description && t.description) description = t.description;
      const inner: ZodLike | undefined = t._zod?.def?.innerType;
      if (!inner) break;
      t = inner;
    }
    const leaf = t!;
    const type = types[types.length - 1];
    let kind: FieldKind = 'text';
    if (key === 'space') kind = 'space';
    else if (type === 'enum') kind = 'enum';
    else if (type === 'number') kind = leaf.isInt ? 'int' : 'number';
    else if (type === 'array') kind = 'list';
    return {
      key,
      kind,
      description,
      options: kind === 'enum' ? leaf.options : undefined,
      min: kind === 'int' || kind === 'number' ? (leaf.minValue ?? undefined) : undefined,
      max: kind === 'int' || kind === 'number' ? (leaf.maxValue ?? undefined) : undefined,
    };
  });
}

/** Field keys a person sees first; the rest sit under "More settings". */
export const PRIMARY = ['dataset', 'arch', 'preset', 'name', 'epochs', 'seed', 'patience', 'evalEvery'];
