/**
 * The models contract's shapes (preload/contract/models.ts), written out so this view builds whether or not
 * that file is in the tree yet; the calls go through callHost and say "not available" until the host has them.
 */
export type FitVerdict = 'fits' | 'tight' | 'too-large';

export interface MemoryFitInfo {
  verdict: FitVerdict;
  needBytes: number;
  availableBytes: number;
  totalBytes: number;
  contextSize: number;
  sequences: number;
  explanation: string;
}

export interface GgufMetadata {
  file: string;
  parts: string[];
  fileBytes: number;
  ggufVersion: number;
  architecture: string;
  name: string | null;
  parameters: number;
  fileType: string | null;
  quantization: string;
  contextLength: number | null;
  embeddingLength: number | null;
  layers: number | null;
  heads: number | null;
  headsKv: number | null;
  vocabularySize: number | null;
  hasChatTemplate: boolean;
  kvBytesPerToken: number | null;
}

export interface ModelEntry {
  id: number;
  name: string;
  path: string;
  hash: string;
  addedAt: string;
  metadata: GgufMetadata;
  fit: MemoryFitInfo;
  stale: 'missing' | 'changed' | null;
}

export interface LoadedModel {
  id: number | null;
  name: string;
  path: string;
  threads: number;
  contextSize: number;
  parallel: number;
  gpu: boolean;
  loadMs: number;
}

export interface CatalogModel {
  id: string;
  name: string;
  family: string;
  hf: string;
  fileName: string;
  quantization: string;
  sizeBytes: number;
  parameters: number;
  contextLength: number;
  license: string;
  chatTemplate: boolean;
  paperModel?: boolean;
  notes: string;
  downloaded: boolean;
  fit: MemoryFitInfo;
}

export interface EndpointConfig {
  url: string | null;
  model: string | null;
  hasApiKey: boolean;
  keyPersistent: boolean;
  warning: string;
}

export interface ModelsList {
  models: ModelEntry[];
  loaded: LoadedModel | null;
}
