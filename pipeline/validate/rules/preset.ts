import { affiliateDisclosureBeforeLink } from './affiliate-disclosure-before-link.ts';
import { affiliateMaxLinks } from './affiliate-max-links.ts';
import { affiliateRequiredStatement } from './affiliate-required-statement.ts';
import { affiliateUnknownProgram } from './affiliate-unknown-program.ts';
import { affiliateUntrackedLink } from './affiliate-untracked-link.ts';
import { citationsAllSourcesCited } from './citations-all-sources-cited.ts';
import { citationsMinSources } from './citations-min-sources.ts';
import { citationsResolve } from './citations-resolve.ts';
import { complianceNoExperienceClaims } from './compliance-no-experience-claims.ts';
import { complianceNoPromises } from './compliance-no-promises.ts';
import { complianceYmylDisclaimer } from './compliance-ymyl-disclaimer.ts';
import { htmlNoRawHtml } from './html-no-raw-html.ts';
import { linksAllowedProtocol } from './links-allowed-protocol.ts';
import { linksUnsourcedDomain } from './links-unsourced-domain.ts';
import { qualityAssistantResidue } from './quality-assistant-residue.ts';
import { qualityDuplicateParagraph } from './quality-duplicate-paragraph.ts';
import { qualityFusedListItem } from './quality-fused-list-item.ts';
import { qualityLanguageMismatch } from './quality-language-mismatch.ts';
import { qualityNearDuplicate } from './quality-near-duplicate.ts';
import { qualityScrapedResidue } from './quality-scraped-residue.ts';
import { qualityTruncated } from './quality-truncated.ts';
import { qualityUnclosedMarkup } from './quality-unclosed-markup.ts';
import { qualityEntityResidue } from './quality-entity-residue.ts';
import type { AnyRule } from './rule.ts';
import { structureDanglingLeadIn } from './structure-dangling-lead-in.ts';
import { structureHeadingFileName } from './structure-heading-file-name.ts';
import { structureSingleConclusion } from './structure-single-conclusion.ts';
import { structureHeadingIncrement } from './structure-heading-increment.ts';
import { structureMinLength } from './structure-min-length.ts';
import { structureSingleTitle } from './structure-single-title.ts';

/** The rules `validate` runs, with their default severities (see each module's doc comment). */
export const recommendedPreset: readonly AnyRule[] = [
  // links and HTML
  linksAllowedProtocol,
  htmlNoRawHtml,
  linksUnsourcedDomain,
  // affiliate compliance
  affiliateUnknownProgram,
  affiliateUntrackedLink,
  affiliateDisclosureBeforeLink,
  affiliateRequiredStatement,
  affiliateMaxLinks,
  // citations
  citationsResolve,
  citationsAllSourcesCited,
  citationsMinSources,
  // financial compliance and endorsements
  complianceYmylDisclaimer,
  complianceNoPromises,
  complianceNoExperienceClaims,
  // machine-text defects
  qualityAssistantResidue,
  qualityLanguageMismatch,
  qualityTruncated,
  qualityUnclosedMarkup,
  qualityFusedListItem,
  qualityDuplicateParagraph,
  qualityScrapedResidue,
  qualityEntityResidue,
  qualityNearDuplicate,
  // structure
  structureMinLength,
  structureSingleTitle,
  structureHeadingIncrement,
  structureHeadingFileName,
  structureSingleConclusion,
  structureDanglingLeadIn,
];
