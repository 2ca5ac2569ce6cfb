import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import type { TenantMapping } from '../domain/tenants';
import { ConfigError } from './config-error';

const groupRef = z.union([z.number().int().nonnegative(), z.string().trim().min(1)]);

const tenantsFileSchema = z.strictObject({
  tenants: z
    .array(
      z.strictObject({
        name: z.string(),
        ksc: z.strictObject({ groups: z.array(groupRef).default([]) }).default({ groups: [] }),
        kata: z.strictObject({ sensors: z.array(z.string().trim().min(1)).default([]) }).default({ sensors: [] }),
      }),
    )
    .min(1),
});

/**
 * Reads TENANTS_FILE (YAML, or JSON, which is YAML too). Any problem stops the start with one line
 * naming the file and the first thing wrong in it.
 */
export function readTenantsFile(file: string): TenantMapping[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('TENANTS_FILE', `cannot read ${file}.`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError('TENANTS_FILE', `${file} is not valid YAML or JSON${line ? ` (line ${line})` : ''}.`);
  }
  const parsed = tenantsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the top level';
    throw new ConfigError('TENANTS_FILE', `${file}: ${where}: ${issue.message}.`);
  }
  const seen = new Set<string>();
  return parsed.data.tenants.map((t, i) => {
    if (seen.has(t.name))
      throw new ConfigError('TENANTS_FILE', `${file}: tenants.${i}.name: "${t.name}" is listed twice.`);
    seen.add(t.name);
    return { name: t.name, kscGroups: t.ksc.groups, kataSensors: t.kata.sensors };
  });
}
