/**
 * How the aggregate partner codes of the countries pack enter a sum over
 * partners, so that a file listing a bloc beside its members neither double
 * counts nor drops (the meanings are those of the pack's names; see
 * data/country-code-systems.yaml for where each code comes from):
 * - residuals ("not specified", "other countries", special categories,
 *   Belgium-Luxembourg before 1999) hold trade that no named partner holds:
 *   added like an economy;
 * - blocs with a membership list (the EU, from data/country-groups.yaml):
 *   their row stands for their members when the members are not all listed
 *   one by one, and the members that are listed are then not added again;
 * - every other aggregate (IMF and BEA regions, the euro area, customs
 *   unions) overlaps named partners and is left out of the sum.
 */
export const RESIDUAL_PARTNERS = ['XNS', 'XOT', 'XRS', 'XSC', 'XUA', 'XUB', 'XUE', 'XUM', 'XUW', 'XBL'] as const;

/** Bloc partner codes and the country group (with members by date) each stands for. */
export const BLOC_GROUPS: Record<string, string> = { EUN: 'EU' };
