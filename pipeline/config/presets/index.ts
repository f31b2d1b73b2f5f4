import { financePreset } from './finance.ts';
import type { Preset } from './preset.ts';

/** Every preset a niche can turn on with `preset:` or `presets:` in its config. */
export const PRESETS = {
  finance: financePreset,
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.hasOwn(PRESETS, value);
}

/**
 * The niche's input with the defaults of its presets merged underneath: where the niche sets a
 * value it wins; where it is silent, the preset's value applies. Unknown preset names are left
 * for the schema to report at their line.
 */
export function withPresetDefaults(input: unknown): unknown {
  if (!isRecord(input)) return input;
  let merged: Record<string, unknown> = input;
  // Later presets in the list win over earlier ones; the niche's own values win over all.
  for (const name of [...selectedPresets(input)].reverse()) merged = mergeUnder(merged, PRESETS[name].defaults);
  return merged;
}

/** `preset: finance` and `presets: [finance, …]` together, in order, without repeats. */
export function selectedPresets(input: { preset?: unknown; presets?: unknown }): PresetName[] {
  const listed = [input.preset, ...(Array.isArray(input.presets) ? input.presets : [])];
  return [...new Set(listed.filter(isPresetName))];
}

function mergeUnder(own: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(defaults)) {
    const mine = own[key];
    if (mine === undefined || mine === null) merged[key] = value;
    else if (isRecord(mine) && isRecord(value)) merged[key] = mergeUnder(mine, value);
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
