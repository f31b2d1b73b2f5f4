import type { z } from 'zod';
import type { YamlPath } from './yaml-source.ts';

export interface SchemaIssue {
  /** Path into the data, pointing at the offending key (for unknown keys: the key itself). */
  path: YamlPath;
  /** `feeds[2].url` */
  dottedPath: string;
  message: string;
}

/** `['feeds', 2, 'url']` → `feeds[2].url` */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(root)';
}

/**
 * Turns zod issues into `path: message` lines a person can act on. Raw zod output (JSON with
 * codes and nested unions) is never shown to users. Unknown keys become one issue per key,
 * pointing at that key.
 */
export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  // A value of the wrong type gets one message: the checks that ran on it anyway (a string's
  // length taken for a list's) would only add false ones.
  const wrongType = new Set(error.issues.filter((issue) => issue.code === 'invalid_type').map((issue) => formatPath(issue.path)));
  for (const issue of error.issues) {
    if (issue.code !== 'invalid_type' && wrongType.has(formatPath(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        issues.push({ path, dottedPath: formatPath(path), message: `unknown key "${key}" (misspelt, or not supported here)` });
      }
      continue;
    }
    issues.push({ path: issue.path, dottedPath: formatPath(issue.path), message: issue.message });
  }
  return issues;
}
