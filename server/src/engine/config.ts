import { ruleProfiles, type Profile, type Rule, type Severity } from './rule';

export type RuleSetting = Severity | 'off';

/** What the user chose: a profile and per-rule overrides (settings, config file, CLI flags). */
export interface EngineConfig {
  profile: Profile;
  rules: Readonly<Record<string, RuleSetting>>;
}

export const DEFAULT_CONFIG: EngineConfig = { profile: 'restricted', rules: {} };

/** The severity a rule reports at, or undefined when it does not run. An explicit severity enables a rule outside its profile. */
export function effectiveSeverity(rule: Rule, config: EngineConfig): Severity | undefined {
  const setting = config.rules[rule.meta.id];
  if (setting === 'off') return undefined;
  if (setting) return setting;
  return ruleProfiles(rule.meta).includes(config.profile) ? rule.meta.severity : undefined;
}
