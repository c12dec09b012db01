import type { Method, Output, ParsedInput } from '../../preload/contract.js';
import type { Host } from './host.js';

export type Handler<M extends Method> = (input: ParsedInput<M>, host: Host) => Promise<Output<M>> | Output<M>;
export type Handlers<K extends Method = Method> = { [M in K]: Handler<M> };
