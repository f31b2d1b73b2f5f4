import type { Preset } from './preset.ts';

/**
 * Money topics (investing, lending, staking, taxes, insurance): a mistake can cost readers
 * their savings, so the articles are marked as such, carry the niche's risk disclaimer, put the
 * risks before any returns, and never promise a result.
 */
export const financePreset: Preset = {
  name: 'finance',
  summary: 'money topics: risk disclaimer on every article, risks first, no promises, "not financial advice"',
  defaults: {
    ymyl: {
      enabled: true,
      riskSection: true,
      riskFirst: true,
      noPromises: true,
      notice: 'Research, not financial advice.',
    },
    validate: {
      rules: {
        'compliance/ymyl-disclaimer': 'error',
        'compliance/no-promises': 'error',
      },
    },
  },
  requires: [
    {
      path: ['site', 'riskDisclaimer'],
      message:
        'the finance preset needs a risk disclaimer of at least 20 characters, shown on every article (e.g. "This is research, not financial advice. You can lose money.")',
      holds: (config) => config.site.riskDisclaimer.trim().length >= 20,
    },
  ],
};
