/** The models contract's shapes (preload/contract/models.ts), as the views use them. */
import type { z } from 'zod';
import type {
  CatalogModel as CatalogModelSchema,
  EndpointConfig as EndpointConfigSchema,
  GgufMetadata as GgufMetadataSchema,
  LoadedModel as LoadedModelSchema,
  MemoryFitInfo as MemoryFitInfoSchema,
  Output,
} from '../../../preload/contract';

export type MemoryFitInfo = z.infer<typeof MemoryFitInfoSchema>;
export type FitVerdict = MemoryFitInfo['verdict'];
export type GgufMetadata = z.infer<typeof GgufMetadataSchema>;
export type ModelEntry = Output<'models.list'>['models'][number];
export type LoadedModel = z.infer<typeof LoadedModelSchema>;
export type CatalogModel = z.infer<typeof CatalogModelSchema>;
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;
export type ModelsList = Output<'models.list'>;
