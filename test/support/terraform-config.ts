/**
 * Reads the Terraform root module as JSON with @cdktf/hcl2json, merged
 * across its files, so tests can check its structure offline (the google
 * provider, which `terraform validate` needs, cannot be fetched here).
 */
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';

import {parse} from '@cdktf/hcl2json';

/** One resource block, as hcl2json renders it. */
export type HclBlock = Record<string, unknown>;

/** The merged module: resources by type then name, locals, variables. */
export interface TerraformModule {
  readonly resources: Record<string, Record<string, HclBlock>>;
  readonly locals: Record<string, unknown>;
  readonly variables: Record<string, HclBlock>;
  /** Every file's text, for searches across the module. */
  readonly text: string;
}

export const TERRAFORM_DIRECTORY = path.resolve('terraform');

/** Parses every `.tf` file directly in `directory`. */
export async function readTerraformModule(
  directory: string = TERRAFORM_DIRECTORY,
): Promise<TerraformModule> {
  const files = (await readdir(directory))
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const resources: Record<string, Record<string, HclBlock>> = {};
  const locals: Record<string, unknown> = {};
  const variables: Record<string, HclBlock> = {};
  let text = '';

  for (const file of files) {
    const source = await readFile(path.join(directory, file), 'utf8');
    text += source;
    const parsed = (await parse(file, source)) as {
      resource?: Record<string, Record<string, HclBlock[]>>;
      locals?: Record<string, unknown>[];
      variable?: Record<string, HclBlock[]>;
    };

    for (const [type, byName] of Object.entries(parsed.resource ?? {})) {
      resources[type] ??= {};
      for (const [name, blocks] of Object.entries(byName)) {
        resources[type][name] = blocks[0] ?? {};
      }
    }
    for (const block of parsed.locals ?? []) Object.assign(locals, block);
    for (const [name, blocks] of Object.entries(parsed.variable ?? {})) {
      variables[name] = blocks[0] ?? {};
    }
  }
  return {resources, locals, variables, text};
}

/** The first nested block named `name`, as hcl2json nests blocks. */
export function nestedBlock(
  block: HclBlock,
  name: string,
): HclBlock | undefined {
  const value = block[name];
  return Array.isArray(value) ? (value[0] as HclBlock) : undefined;
}
