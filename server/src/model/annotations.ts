/**
 * Our annotation that silences rules for a whole resource: `kube-zero-trust.io/ignore: "rule-a,rule-b"`
 * (`all` for every rule), a trailing comment being the reason. Read by the engine's suppressions,
 * written by the suppression fixes.
 */
export const IGNORE_ANNOTATION = 'kube-zero-trust.io/ignore';
