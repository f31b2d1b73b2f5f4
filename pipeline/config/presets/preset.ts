import type { YamlPath } from '../../lib/yaml-source.ts';

/**
 * A preset bundles what a kind of niche needs beyond the neutral core: defaults merged under
 * the niche's own settings (the niche's values always win) and settings it cannot do without.
 * Money, health or legal topics ("your money or your life") are the reason presets exist: the
 * core stays neutral, and a niche opts in to the extra care its readers are owed.
 */
export interface Preset {
  name: string;
  /** One line for `--help`, the init template and error messages. */
  summary: string;
  /** Config input merged under the niche's own (objects deeply, arrays and scalars replaced). */
  defaults: Record<string, unknown>;
  /** Settings the niche must give itself, checked after the schema's own checks. */
  requires: readonly PresetRequirement[];
}

export interface PresetRequirement {
  path: YamlPath;
  /** Why the preset needs it and what to write, shown as `path: message`. */
  message: string;
  /** True when the resolved config satisfies the requirement. */
  holds: (config: { site: { riskDisclaimer: string } }) => boolean;
}
