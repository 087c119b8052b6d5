import type {TopicName} from '../shared/messaging/topics.js';
import {FUNCTIONS} from './registry.js';

/** One deployable Cloud Function, as Terraform sets it up. */
export interface EntryPoint {
  /** The deployed function's name and its folder under functions/. */
  readonly name: string;
  /** The name registered with functions-framework `cloudEvent`. */
  readonly entryPoint: string;
  /** The module that registers it, relative to the repository root. */
  readonly sourceFile: string;
  /** Topics whose push subscriptions deliver to it. */
  readonly topics: readonly TopicName[];
}

/** The eight entry points, in lifecycle order. */
export const ENTRY_POINTS: readonly EntryPoint[] = FUNCTIONS.map(
  (definition) => ({
    name: definition.name,
    entryPoint: definition.entryPoint,
    sourceFile: `functions/${definition.name}/index.ts`,
    topics: definition.topics,
  }),
);

/** The entry point names alone, e.g. for a Terraform check. */
export const ENTRY_POINT_NAMES: readonly string[] = ENTRY_POINTS.map(
  (entry) => entry.entryPoint,
);
